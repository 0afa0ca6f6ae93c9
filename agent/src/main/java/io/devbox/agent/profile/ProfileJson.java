package io.devbox.agent.profile;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.Map;

/**
 * A positioned YAML tree as the JSON the schema validates: each scalar typed as YAML's core schema typed it (a scalar
 * the map does not know, such as a value made by variable expansion, is a string). Kept apart from the validator, so
 * that building it never loads the schema library.
 */
final class ProfileJson {
    private ProfileJson() {
    }

    static JsonNode toJson(Node node, Map<Node.Scalar, YamlReader.ScalarInfo> scalars) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof Node.Scalar s) {
            YamlReader.ScalarInfo info = scalars.get(s);
            YamlReader.ScalarInfo.Type type = info == null ? YamlReader.ScalarInfo.Type.STR : info.type();
            if (s.isNull()) return f.nullNode();
            switch (type) {
                case INT:
                    BigInteger b = new BigInteger(s.text());
                    return b.bitLength() < 64 ? f.numberNode(b.longValue()) : f.numberNode(b);
                case FLOAT:
                    return f.numberNode(parseFloat(s.text()));
                case BOOL:
                    return f.booleanNode(s.text().equalsIgnoreCase("true"));
                case NULL:
                    return f.nullNode();
                default:
                    return f.stringNode(s.text());
            }
        }
        if (node instanceof Node.Sequence seq) {
            ArrayNode a = f.arrayNode(seq.items().size());
            for (Node item : seq.items()) a.add(toJson(item, scalars));
            return a;
        }
        ObjectNode o = f.objectNode();
        for (Map.Entry<String, Node> e : ((Node.Mapping) node).entries().entrySet()) {
            o.set(e.getKey(), toJson(e.getValue(), scalars));
        }
        return o;
    }

    private static double parseFloat(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith(".nan")) return Double.NaN;
        if (t.endsWith(".inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        return Double.parseDouble(text);
    }
}
