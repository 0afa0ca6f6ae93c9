package io.devbox.agent.profile;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The agent's standard wording of a schema violation, made from the failed keyword and its values. */
final class SchemaMessages {
    private SchemaMessages() {
    }

    /**
     * Why a YAML scalar has the wrong type, for the two ways YAML surprises people: a number where text is wanted
     * ({@code version: 1.20} is the number 1.2) and a fraction where a whole number is wanted.
     */
    static String typeHint(JsonNode expected, JsonNode instance, String yamlText) {
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

    static String value(String keyword, SchemaViolation e) {
        JsonNode schemaValue = e.schemaValue();
        JsonNode instance = e.value();
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
                return e.standard();
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
