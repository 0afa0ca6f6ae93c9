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

    /**
     * The schema of a composed spec: the profile schema's {@code $defs} with {@code #/$defs/composedSpec} as its root
     * (what a box's spec must hold beyond each file's shape: required fields a single profile may leave to another).
     */
    private static final class ComposedHolder {
        static final Schema SCHEMA = load();

        private static Schema load() {
            ObjectNode full = (ObjectNode) Holder.SCHEMA.getSchemaNode();
            ObjectNode composed = JsonNodeFactory.instance.objectNode();
            composed.set("$schema", full.get("$schema"));
            composed.put("$id", "https://devbox.io/schema/profile.schema.json/composed");
            composed.put("$ref", "#/$defs/composedSpec");
            composed.set("$defs", full.get("$defs"));
            SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                    .errorMessageKeyword("errorMessage")
                    .formatAssertionsEnabled(false)
                    .build();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaRegistryConfig(config));
            return registry.getSchema(composed);
        }
    }

    /**
     * Adds the violations of {@code #/$defs/composedSpec} by the spec composed for a box to {@code errors}, located in
     * the composed tree (a missing field at the key of the highest priority profile that sets its parent); returns
     * whether there were none.
     *
     * @param profiles the names of the composed profiles, for the messages
     */
    static boolean validateComposed(Node.Mapping spec, JsonNode json, List<String> profiles, List<ProfileError> errors) {
        List<com.networknt.schema.Error> found = ComposedHolder.SCHEMA.validate(json);
        YamlReader.Parsed asFile = new YamlReader.Parsed(spec.origin().file(), spec, Map.of(), 0);
        String composedOf = " (in the spec composed from " + (profiles.isEmpty() ? "no profile" : String.join(", ", profiles)) + ")";
        for (com.networknt.schema.Error e : found) {
            ProfileError located = locate(asFile, e, "spec");
            errors.add(new ProfileError(located.origin(), located.message() + composedOf));
        }
        return found.isEmpty();
    }

    /** Adds the file's schema violations to {@code errors}; returns whether there were none. */
    static boolean validate(YamlReader.Parsed parsed, List<ProfileError> errors) {
        JsonNode json = ProfileJson.toJson(parsed.root(), parsed.scalars());
        List<com.networknt.schema.Error> found = Holder.SCHEMA.validate(json);
        for (com.networknt.schema.Error e : found) errors.add(locate(parsed, e, ""));
        return found.isEmpty();
    }

    /** Names of the kinds the schema knows under {@code spec}. */
    static List<String> knownKinds() {
        JsonNode props = Holder.SCHEMA.getSchemaNode().path("properties").path("spec").path("properties");
        return new ArrayList<>(new TreeSet<>(props.propertyNames()));
    }

    /** @param prefix the path of the validated instance in the profile ("" for a whole file, "spec" for a composed spec) */
    private static ProfileError locate(YamlReader.Parsed parsed, com.networknt.schema.Error e, String prefix) {
        InstanceLocation l = InstanceLocation.resolve(parsed.root(), e.getInstanceLocation(), prefix);
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
        String message = valueMessage(keyword, e);
        if (keyword.equals("type") && node instanceof Node.Scalar s && !s.isNull() && !e.isCustomMessage()) {
            message += typeHint(e.getSchemaNode(), e.getInstanceNode(), s.text());
        }
        return new ProfileError(at, where + ": " + message);
    }

    /**
     * Why a YAML scalar has the wrong type, for the two ways YAML surprises people: a number where text is wanted
     * ({@code version: 1.20} is the number 1.2) and a fraction where a whole number is wanted.
     */
    private static String typeHint(JsonNode expected, JsonNode instance, String yamlText) {
        List<String> types = new ArrayList<>();
        if (expected != null && expected.isArray()) expected.forEach(t -> types.add(t.asString()));
        else if (expected != null) types.add(expected.asString());
        if (instance == null) return "";
        if (instance.isNumber() && !instance.isIntegralNumber() && types.contains("integer")) {
            return " (" + yamlText + " is not a whole number; a number without a fraction, like 5 or 5.0, is an integer)";
        }
        if ((instance.isNumber() || instance.isBoolean()) && types.contains("string") && !types.contains("integer")) {
            return " (YAML reads " + yamlText + " as a " + typeName(instance) + "; quote it for text: \"" + yamlText + "\")";
        }
        return "";
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
