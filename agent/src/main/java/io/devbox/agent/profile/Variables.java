package io.devbox.agent.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ${hostname}}, {@code ${user}}, {@code ${home}} and {@code ${label.NAME}} in the scalar values of a spec;
 * {@code $${} is a literal {@code ${}. Keys are not expanded (they identify resources across profiles).
 */
final class Variables {

    private Variables() {
    }

    /** Reports unknown or malformed variables without a box: for {@code agent validate} and every file. */
    static void check(Node node, Map<Node.Scalar, YamlReader.ScalarInfo> scalars, List<ProfileError> errors) {
        walk(node, scalars, null, errors);
    }

    /** The tree with every variable replaced by the box's value; problems are added to {@code errors}. */
    static Node expand(Node node, Map<Node.Scalar, YamlReader.ScalarInfo> scalars, HostIdentity host, List<ProfileError> errors) {
        return walk(node, scalars, host, errors);
    }

    private static Node walk(Node node, Map<Node.Scalar, YamlReader.ScalarInfo> scalars, HostIdentity host, List<ProfileError> errors) {
        if (node instanceof Node.Scalar s) {
            if (s.text() == null || s.text().indexOf('$') < 0) return s;
            YamlReader.ScalarInfo info = scalars.get(s);
            if (info != null && info.type() != YamlReader.ScalarInfo.Type.STR) return s;
            String expanded = expandText(s, info == null ? 0 : info.textColumn(), host, errors);
            return expanded.equals(s.text()) ? s : new Node.Scalar(expanded, s.origin());
        }
        if (node instanceof Node.Sequence seq) {
            List<Node> items = new ArrayList<>(seq.items().size());
            boolean changed = false;
            for (Node item : seq.items()) {
                Node e = walk(item, scalars, host, errors);
                changed |= e != item;
                items.add(e);
            }
            return changed ? new Node.Sequence(items, seq.origin()) : seq;
        }
        Node.Mapping map = (Node.Mapping) node;
        Map<String, Node> entries = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Node> e : map.entries().entrySet()) {
            Node v = walk(e.getValue(), scalars, host, errors);
            changed |= v != e.getValue();
            entries.put(e.getKey(), v);
        }
        return changed ? new Node.Mapping(entries, map.keyOrigins(), map.origin()) : map;
    }

    private static String expandText(Node.Scalar s, int textColumn, HostIdentity host, List<ProfileError> errors) {
        String text = s.text();
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                Origin at = textColumn > 0
                        ? new Origin(s.origin().file(), s.origin().line(), textColumn + text.codePointCount(0, i))
                        : s.origin();
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    errors.add(new ProfileError(at, "unterminated variable: '${' without '}' (write $${ for a literal ${)"));
                    return text;
                }
                String name = text.substring(i + 2, close);
                String value = resolve(name, host, at, errors);
                out.append(value == null ? text.substring(i, close + 1) : value);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The value, or null after reporting; with no host only the name is checked. */
    private static String resolve(String name, HostIdentity host, Origin at, List<ProfileError> errors) {
        switch (name) {
            case "hostname":
                return host == null ? null : require(host.hostname(), name, at, errors);
            case "user":
                return host == null ? null : require(host.user(), name, at, errors);
            case "home":
                return host == null ? null : require(host.home(), name, at, errors);
            default:
                break;
        }
        if (name.startsWith("label.")) {
            String label = name.substring("label.".length());
            Optional<String> problem = Labels.keyProblem(label);
            if (problem.isPresent()) {
                errors.add(new ProfileError(at, "invalid label in ${" + name + "}: " + problem.get()));
                return null;
            }
            if (host == null) return null;
            String v = host.labels().get(label);
            if (v == null) {
                errors.add(new ProfileError(at, "${" + name + "}: this box has no label '" + label + "'"
                        + (host.labels().isEmpty() ? " (it has no labels)" : " (labels: " + String.join(", ", new java.util.TreeSet<>(host.labels().keySet())) + ")")));
            }
            return v;
        }
        errors.add(new ProfileError(at, "unknown variable ${" + name + "} (known: ${hostname}, ${user}, ${home}, ${label.NAME}; write $${ for a literal ${)"));
        return null;
    }

    private static String require(String value, String name, Origin at, List<ProfileError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new ProfileError(at, "${" + name + "} is not known on this box"));
            return null;
        }
        return value;
    }
}
