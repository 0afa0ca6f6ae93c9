package io.devbox.agent.profile;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates a parsed file against the profile schema (networknt) and turns each violation into a located, readable
 * error. Only touched when some file is not known valid: the class and the library load lazily.
 */
final class SchemaValidator {
    private static final Set<String> KEY_KEYWORDS = Set.of("additionalProperties", "propertyNames", "unevaluatedProperties");

    private SchemaValidator() {
    }

    private static final class Holder {
        static final Schema SCHEMA = load();

        private static Schema load() {
            SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                    .errorMessageKeyword("errorMessage")
                    .formatAssertionsEnabled(false)
                    .build();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaRegistryConfig(config));
            return registry.getSchema(new String(SchemaResource.bytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        }
    }

    /** Adds the file's schema violations to {@code errors}; returns whether there were none. */
    static boolean validate(YamlReader.Parsed parsed, List<ProfileError> errors) {
        JsonNode json = toJson(parsed.root(), parsed.scalars());
        List<com.networknt.schema.Error> found = Holder.SCHEMA.validate(json);
        for (com.networknt.schema.Error e : found) errors.add(locate(parsed, e));
        return found.isEmpty();
    }

    /** Names of the kinds the schema knows under {@code spec}. */
    static List<String> knownKinds() {
        JsonNode props = Holder.SCHEMA.getSchemaNode().path("properties").path("spec").path("properties");
        return new ArrayList<>(new TreeSet<>(props.propertyNames()));
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

    private static ProfileError locate(YamlReader.Parsed parsed, com.networknt.schema.Error e) {
        InstanceLocation l = InstanceLocation.resolve(parsed.root(), e.getInstanceLocation());
        Node node = l.node();
        Node.Mapping parent = l.parent();
        String lastKey = l.lastKey();
        String path = l.path();
        Origin fallback = new Origin(parsed.file(), 1, 1);
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        String property = e.getProperty();
        if (KEY_KEYWORDS.contains(keyword) && property != null && node instanceof Node.Mapping m) {
            String keyPath = path.isEmpty() ? property : path + "." + property;
            Origin at = m.keyOrigins().getOrDefault(property, m.origin());
            return new ProfileError(at, keyPath + ": " + keyMessage(keyword, property, path, e));
        }
        if (keyword.equals("required")) {
            Origin at = parent != null && lastKey != null ? parent.keyOrigin(lastKey)
                    : node != null ? node.origin() : fallback;
            String where = path.isEmpty() ? "profile" : path;
            return new ProfileError(at, where + ": missing required field '" + property + "'");
        }
        Origin at = node != null ? node.origin() : fallback;
        String where = path.isEmpty() ? "profile" : path;
        return new ProfileError(at, where + ": " + valueMessage(keyword, e));
    }

    private static String keyMessage(String keyword, String property, String parentPath, com.networknt.schema.Error e) {
        if (keyword.equals("propertyNames")) {
            if (e.isCustomMessage()) return e.getMessage();
            Object[] args = e.getArguments();
            if (args == null || args.length < 2) return "invalid name";
            boolean custom = e.getSchemaNode() != null && e.getSchemaNode().has("errorMessage");
            return (custom ? "" : "invalid name: ") + args[1];
        }
        if (parentPath.equals("spec")) {
            return "unknown resource kind '" + property + "' (known: " + String.join(", ", knownKinds()) + ")";
        }
        return "unknown field '" + property + "'" + allowedFields(parentPath);
    }

    /** "(allowed: a, b)" from the schema's properties at the same place, when it has any. */
    private static String allowedFields(String parentPath) {
        JsonNode s = Holder.SCHEMA.getSchemaNode();
        if (!parentPath.isEmpty()) {
            for (String seg : parentPath.split("\\.")) {
                s = s.path("properties").path(seg);
            }
        }
        JsonNode props = s.path("properties");
        if (!props.isObject() || props.isEmpty()) return "";
        return " (allowed: " + String.join(", ", props.propertyNames()) + ")";
    }

    private static String valueMessage(String keyword, com.networknt.schema.Error e) {
        if (e.isCustomMessage()) return e.getMessage();
        JsonNode schemaValue = e.getSchemaNode();
        JsonNode instance = e.getInstanceNode();
        switch (keyword) {
            case "type":
                return "expected " + expectedTypes(schemaValue) + ", got " + typeName(instance);
            case "const":
                return "must be " + render(schemaValue) + ", got " + render(instance);
            case "enum": {
                List<String> options = new ArrayList<>();
                if (schemaValue != null) schemaValue.forEach(v -> options.add(render(v)));
                return "must be one of " + String.join(", ", options) + "; got " + render(instance);
            }
            case "minimum":
                return "must be at least " + schemaValue + ", got " + render(instance);
            case "maximum":
                return "must be at most " + schemaValue + ", got " + render(instance);
            case "minLength":
                return "must be at least " + schemaValue + " characters long";
            case "maxLength":
                return "must be at most " + schemaValue + " characters long";
            case "minItems":
                return "needs at least " + schemaValue + " item(s)";
            case "maxItems":
                return "may have at most " + schemaValue + " items";
            case "uniqueItems":
                return "items must be unique";
            case "pattern":
                return render(instance) + " does not match " + (schemaValue == null ? "the expected pattern" : schemaValue.asString());
            default:
                return e.getMessage();
        }
    }

    private static String expectedTypes(JsonNode schemaValue) {
        if (schemaValue == null) return "another type";
        List<String> names = new ArrayList<>();
        if (schemaValue.isArray()) schemaValue.forEach(t -> names.add(schemaTypeName(t.asString())));
        else names.add(schemaTypeName(schemaValue.asString()));
        if (names.size() == 1) return names.get(0);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String schemaTypeName(String t) {
        return switch (t) {
            case "object" -> "mapping";
            case "array" -> "list";
            default -> t;
        };
    }

    static String typeName(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "null (empty value)";
        if (n.isBoolean()) return "boolean";
        if (n.isIntegralNumber()) return "integer";
        if (n.isNumber()) return "number";
        if (n.isString()) return "string";
        if (n.isArray()) return "list";
        if (n.isObject()) return "mapping";
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String render(JsonNode n) {
        if (n == null) return "nothing";
        if (n.isString()) return "'" + n.asString() + "'";
        if (n.isNull()) return "null (empty value)";
        if (n.isContainer()) return "a " + typeName(n);
        return n.toString();
    }
}
