package io.devbox.agent.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges the specs of the selected profiles, lowest priority first: mappings merge key by key; scalars and lists are
 * leaves that a higher priority replaces whole; equal priorities that set one leaf to different values conflict.
 * Every leaf keeps the origin of the value that won.
 */
final class Composition {
    /** One profile's (expanded) spec, with what composition needs to know about it. */
    record Layer(String file, int priority, Node.Mapping spec) {
    }

    private final List<ProfileError> errors;

    Composition(List<ProfileError> errors) {
        this.errors = errors;
    }

    /** Layers must be sorted by priority, ascending. The composed sections by spec key. */
    Map<String, Node> compose(List<Layer> layers) {
        return composeSpec(layers).entries();
    }

    /**
     * The composed {@code spec} mapping: each key's position is that of the highest priority profile that sets it
     * (a missing field of the composition is reported there). Layers must be sorted by priority, ascending.
     */
    Node.Mapping composeSpec(List<Layer> layers) {
        Slot.Map root = new Slot.Map(null, Integer.MIN_VALUE);
        for (Layer layer : layers) merge(root, layer.spec(), layer.priority(), "spec");
        if (root.origin == null) return new Node.Mapping(Map.of(), Map.of(), Origin.ofFile("(no profile)"));
        return (Node.Mapping) root.toNode();
    }

    /** The composed tree while it is being built. */
    private sealed interface Slot {
        int priority();

        Node toNode();

        /** A mapping being merged; {@code keyOrigins} and {@code origin} follow the latest contributor. */
        final class Map implements Slot {
            final java.util.Map<String, Slot> children = new LinkedHashMap<>();
            final java.util.Map<String, Origin> keyOrigins = new LinkedHashMap<>();
            Origin origin;
            int priority;

            Map(Origin origin, int priority) {
                this.origin = origin;
                this.priority = priority;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public Node toNode() {
                java.util.Map<String, Node> entries = new LinkedHashMap<>();
                for (java.util.Map.Entry<String, Slot> child : children.entrySet()) entries.put(child.getKey(), child.getValue().toNode());
                return new Node.Mapping(entries, keyOrigins, origin);
            }
        }

        record Leaf(Node value, int priority) implements Slot {
            @Override
            public Node toNode() {
                return value;
            }
        }
    }

    private void merge(Slot.Map target, Node.Mapping src, int priority, String path) {
        if (priority >= target.priority) {
            target.origin = src.origin();
            target.priority = priority;
        }
        for (Map.Entry<String, Node> e : src.entries().entrySet()) {
            String key = e.getKey();
            Node value = e.getValue();
            Origin keyAt = src.keyOrigin(key);
            String childPath = path + "." + key;
            Slot existing = target.children.get(key);
            if (existing == null) {
                target.children.put(key, newSlot(value, priority));
                target.keyOrigins.put(key, keyAt);
            } else if (existing instanceof Slot.Map m && value instanceof Node.Mapping vm) {
                if (priority > m.priority) target.keyOrigins.put(key, keyAt);
                merge(m, vm, priority, childPath);
            } else if (priority > existing.priority()) {
                target.children.put(key, newSlot(value, priority));
                target.keyOrigins.put(key, keyAt);
            } else if (!sameValue(existing.toNode(), value)) {
                Origin other = existing instanceof Slot.Leaf l ? l.value().origin() : target.keyOrigins.get(key);
                Origin here = value instanceof Node.Mapping ? keyAt : value.origin();
                errors.add(new ProfileError(here, childPath + ": conflicts with " + other.shortForm() + " (" + describe(existing.toNode())
                        + " there, " + describe(value) + " here) at equal priority " + priority
                        + "; give one profile a higher priority or make them agree"));
            }
        }
    }

    private static Slot newSlot(Node value, int priority) {
        if (value instanceof Node.Mapping m) {
            Slot.Map slot = new Slot.Map(m.origin(), priority);
            for (Map.Entry<String, Node> e : m.entries().entrySet()) {
                slot.children.put(e.getKey(), newSlot(e.getValue(), priority));
                slot.keyOrigins.put(e.getKey(), m.keyOrigin(e.getKey()));
            }
            return slot;
        }
        return new Slot.Leaf(value, priority);
    }

    /** Structural equality, ignoring positions. */
    static boolean sameValue(Node a, Node b) {
        if (a instanceof Node.Scalar x && b instanceof Node.Scalar y) return Objects.equals(x.text(), y.text());
        if (a instanceof Node.Sequence x && b instanceof Node.Sequence y) {
            if (x.items().size() != y.items().size()) return false;
            for (int i = 0; i < x.items().size(); i++) if (!sameValue(x.items().get(i), y.items().get(i))) return false;
            return true;
        }
        if (a instanceof Node.Mapping x && b instanceof Node.Mapping y) {
            if (!x.entries().keySet().equals(y.entries().keySet())) return false;
            for (String k : x.entries().keySet()) if (!sameValue(x.get(k), y.get(k))) return false;
            return true;
        }
        return false;
    }

    private static String describe(Node n) {
        if (n instanceof Node.Scalar s) return s.isNull() ? "empty" : "'" + s.text() + "'";
        if (n instanceof Node.Sequence s) return "a list of " + s.items().size();
        return "a mapping";
    }
}
