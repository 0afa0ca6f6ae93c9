package io.devbox.agent.profile;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with its position, after variable expansion and composition. Maps keep insertion order and
 * the position of each key; scalars keep their text (typed by the schema, parsed by the kind that reads them).
 */
public sealed interface Node {
    Origin origin();

    record Scalar(String text, Origin origin) implements Node {
        /** True for YAML's null (an empty value or ~). */
        public boolean isNull() {
            return text == null;
        }
    }

    record Sequence(List<Node> items, Origin origin) implements Node {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** Keys in document order; {@code keyOrigins} holds the position of each key. */
    record Mapping(Map<String, Node> entries, Map<String, Origin> keyOrigins, Origin origin) implements Node {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
            keyOrigins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keyOrigins));
        }

        public Node get(String key) {
            return entries.get(key);
        }

        public Origin keyOrigin(String key) {
            Origin o = keyOrigins.get(key);
            return o != null ? o : origin;
        }
    }
}
