package io.devbox.agent.profile;

import io.devbox.agent.host.Json;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The profile schema for people: the raw JSON ({@code agent schema}) and readable summaries of one section. */
public final class SchemaDocs {
    private static final int WIDTH = 100;

    private SchemaDocs() {
    }

    /** The profile schema text (JSON Schema 2020-12). */
    public static String json() {
        return new String(SchemaResource.bytes(), StandardCharsets.UTF_8);
    }

    /** The keys allowed under {@code spec}: one per resource kind, in schema order. */
    public static List<String> specKeys() {
        List<String> keys = new ArrayList<>();
        tree().path("properties").path("spec").path("properties").propertyNames().forEach(keys::add);
        return keys;
    }

    /**
     * A readable summary of one spec section ({@code sysctl}), or of the whole profile envelope ({@code profile}):
     * fields, types, allowed values, defaults, descriptions and an example.
     *
     * @throws IllegalArgumentException for a name that is neither
     */
    public static String summary(String kindOrSpecKey) {
        JsonNode root = tree();
        StringBuilder out = new StringBuilder();
        String k = kindOrSpecKey == null ? "" : kindOrSpecKey.strip();
        if (k.equalsIgnoreCase("profile")) {
            out.append("Profile (apiVersion: devbox/v1, kind: Profile)\n");
            wrap(out, "", text(root, "description"));
            out.append('\n');
            new Renderer(root, 2).body(out, root, "  ", 0);
            return out.toString();
        }
        JsonNode ref = root.path("properties").path("spec").path("properties").path(k);
        if (k.isEmpty() || ref.isMissingNode()) {
            throw new IllegalArgumentException("unknown kind '" + k + "' (known: " + String.join(", ", specKeys()) + ", or 'profile' for the envelope)");
        }
        Renderer r = new Renderer(root, 6);
        JsonNode schema = r.resolve(ref);
        out.append("spec.").append(k).append(": ").append(r.type(schema)).append('\n');
        wrap(out, "", text(schema, "description"));
        out.append('\n');
        r.body(out, schema, "  ", 0);
        JsonNode examples = schema.path("examples");
        if (examples.isArray() && !examples.isEmpty()) {
            out.append("\nExample:\n  spec:\n    ").append(k).append(":\n");
            example(out, examples.get(0), "      ");
        }
        return out.toString();
    }

    private static JsonNode tree() {
        return Json.read(SchemaResource.bytes());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isString() ? v.asString() : "";
    }

    private static void wrap(StringBuilder out, String indent, String text) {
        if (text.isEmpty()) return;
        int col = indent.length();
        out.append(indent);
        for (String word : text.split(" ")) {
            if (col > indent.length() && col + 1 + word.length() > WIDTH) {
                out.append('\n').append(indent);
                col = indent.length();
            } else if (col > indent.length()) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        out.append('\n');
    }

    private static void example(StringBuilder out, JsonNode value, String indent) {
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode v = e.getValue();
            if (v.isObject()) {
                out.append(indent).append(e.getKey()).append(":\n");
                example(out, v, indent + "  ");
            } else {
                out.append(indent).append(e.getKey()).append(": ").append(v.isString() ? "\"" + v.asString() + "\"" : v.toString()).append('\n');
            }
        }
    }

    /** Walks a schema node and prints its fields, one line each, nested by indentation. */
    private static final class Renderer {
        private final JsonNode root;
        private final int maxDepth;

        Renderer(JsonNode root, int maxDepth) {
            this.root = root;
            this.maxDepth = maxDepth;
        }

        JsonNode resolve(JsonNode schema) {
            Set<String> seen = new HashSet<>();
            while (schema.path("$ref").isString() && seen.add(schema.path("$ref").asString())) {
                String ref = schema.path("$ref").asString();
                if (!ref.startsWith("#/")) break;
                JsonNode target = root;
                for (String seg : ref.substring(2).split("/")) target = target.path(seg);
                if (target.isMissingNode()) break;
                schema = target;
            }
            return schema;
        }

        String type(JsonNode s) {
            s = resolve(s);
            List<String> parts = new ArrayList<>();
            JsonNode t = s.path("type");
            List<String> types = new ArrayList<>();
            if (t.isArray()) t.forEach(x -> types.add(name(x.asString())));
            else if (t.isString()) types.add(name(t.asString()));
            // a value of several types is an anyOf of one branch per type (strict JSON Schema tools refuse type arrays)
            if (types.isEmpty()) s.path("anyOf").forEach(b -> { if (resolve(b).path("type").isString()) types.add(name(resolve(b).path("type").asString())); });
            if (s.has("const")) parts.add("= " + s.get("const"));
            else if (s.has("enum")) {
                List<String> vals = new ArrayList<>();
                s.get("enum").forEach(v -> vals.add(v.toString()));
                parts.add("one of " + String.join(" | ", vals));
            } else {
                parts.add(types.isEmpty() ? "any" : String.join(" or ", types));
            }
            if (s.has("default")) parts.add("default " + s.get("default"));
            if (s.has("minimum") && s.has("maximum")) parts.add(s.get("minimum") + ".." + s.get("maximum"));
            if (s.has("pattern")) parts.add("pattern " + s.get("pattern").asString());
            if (s.has("maxLength")) parts.add("at most " + s.get("maxLength") + " characters");
            return String.join(", ", parts);
        }

        private static String name(String t) {
            return switch (t) {
                case "object" -> "mapping";
                case "array" -> "list";
                default -> t;
            };
        }

        void body(StringBuilder out, JsonNode s, String indent, int depth) {
            s = resolve(s);
            if (depth >= maxDepth) return;
            Set<String> required = new HashSet<>();
            s.path("required").forEach(r -> required.add(r.asString()));
            for (Map.Entry<String, JsonNode> e : s.path("properties").properties()) {
                field(out, e.getKey() + (required.contains(e.getKey()) ? " (required)" : ""), e.getValue(), indent, depth);
            }
            JsonNode additional = s.path("additionalProperties");
            if (additional.isObject()) {
                JsonNode names = s.path("propertyNames");
                String keyDesc = text(names, "description");
                field(out, "<name>", additional, indent, depth);
                if (names.isObject()) {
                    String keyType = type(names).replaceFirst("^any, ", "").replaceFirst("^any$", "");
                    wrap(out, indent + "    ", "Names: " + (keyDesc.isEmpty() ? "" : keyDesc + " ") + keyType);
                }
            } else if (additional.isBoolean() && !additional.asBoolean() && s.path("properties").isObject()) {
                wrap(out, indent, "(no other fields)");
            }
            JsonNode items = s.path("items");
            if (items.isObject()) field(out, "- (each item)", items, indent, depth);
        }

        private void field(StringBuilder out, String label, JsonNode schema, String indent, int depth) {
            JsonNode s = resolve(schema);
            out.append(indent).append(label).append(": ").append(type(s)).append('\n');
            wrap(out, indent + "    ", text(s, "description"));
            body(out, s, indent + "  ", depth + 1);
        }
    }
}
