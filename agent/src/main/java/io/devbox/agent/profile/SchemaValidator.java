package io.devbox.agent.profile;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a parsed file against a {@link ProfileSchema} (networknt) and turns each violation into a located, readable
 * error: the schema's own message for the failed keyword where the agent has one ({@link ProfileSchema#message}, keyed
 * by the keyword's JSON pointer), else one made from the keyword. Made only when some file is not known valid.
 */
final class SchemaValidator {
    private static final Set<String> KEY_KEYWORDS = Set.of("additionalProperties", "propertyNames", "unevaluatedProperties");

    private final ProfileSchema profileSchema;
    private final Schema fileSchema;
    private final Schema composedSchema;

    SchemaValidator(ProfileSchema profileSchema) {
        this.profileSchema = profileSchema;
        ObjectNode full = (ObjectNode) profileSchema.tree();
        this.fileSchema = registry().getSchema(full);
        // the schema of a composed spec: the profile schema's $defs with #/$defs/composedSpec as its root
        ObjectNode composed = JsonNodeFactory.instance.objectNode();
        composed.set("$schema", full.get("$schema"));
        composed.put("$id", full.path("$id").asString() + "/composed");
        composed.put("$ref", "#/$defs/composedSpec");
        composed.set("$defs", full.get("$defs"));
        this.composedSchema = registry().getSchema(composed);
    }

    private static SchemaRegistry registry() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(false).build();
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemaRegistryConfig(config));
    }

    /**
     * Adds the violations of {@code #/$defs/composedSpec} by the spec composed for a box to {@code errors}, located in
     * the composed tree (a missing field at the key of the highest priority profile that sets its parent); returns
     * whether there were none.
     *
     * @param profiles the names of the composed profiles, for the messages
     */
    boolean validateComposed(Node.Mapping spec, JsonNode json, List<String> profiles, List<ProfileError> errors) {
        List<SchemaViolation> found = AnyOfBranches.fold(composedSchema.validate(json));
        YamlReader.Parsed asFile = new YamlReader.Parsed(spec.origin().file(), spec, Map.of(), 0);
        String composedOf = " (in the spec composed from " + (profiles.isEmpty() ? "no profile" : String.join(", ", profiles)) + ")";
        for (SchemaViolation v : found) {
            ProfileError located = locate(asFile, v, "spec");
            errors.add(new ProfileError(located.origin(), located.message() + composedOf));
        }
        return found.isEmpty();
    }

    /** Adds the file's schema violations to {@code errors}; returns whether there were none. */
    boolean validate(YamlReader.Parsed parsed, List<ProfileError> errors) {
        JsonNode json = ProfileJson.toJson(parsed.root(), parsed.scalars());
        List<SchemaViolation> found = AnyOfBranches.fold(fileSchema.validate(json));
        for (SchemaViolation v : found) errors.add(locate(parsed, v, ""));
        return found.isEmpty();
    }

    /** @param prefix the path of the validated instance in the profile ("" for a whole file, "spec" for a composed spec) */
    private ProfileError locate(YamlReader.Parsed parsed, SchemaViolation v, String prefix) {
        InstanceLocation l = InstanceLocation.resolve(parsed.root(), v.instance(), prefix);
        Node node = l.node();
        Node.Mapping parent = l.parent();
        String lastKey = l.lastKey();
        String path = l.path();
        Origin fallback = new Origin(parsed.file(), 1, 1);
        String keyword = v.keyword();
        String property = v.property();
        String custom = v.pointer() == null ? null : profileSchema.message(v.pointer());
        if (KEY_KEYWORDS.contains(keyword) && property != null && node instanceof Node.Mapping m) {
            String keyPath = path.isEmpty() ? property : path + "." + property;
            Origin at = m.keyOrigins().getOrDefault(property, m.origin());
            return new ProfileError(at, keyPath + ": " + keyMessage(keyword, property, path, v, custom));
        }
        if (keyword.equals("required")) {
            Origin at = parent != null && lastKey != null ? parent.keyOrigin(lastKey)
                    : node != null ? node.origin() : fallback;
            String where = path.isEmpty() ? "profile" : path;
            return new ProfileError(at, where + ": " + (custom != null ? custom : "missing required field '" + property + "'"));
        }
        Origin at = node != null ? node.origin() : fallback;
        String where = path.isEmpty() ? "profile" : path;
        String message = custom != null ? custom : SchemaMessages.value(keyword, v);
        if (custom == null && keyword.equals("type") && node instanceof Node.Scalar s && !s.isNull()) {
            message += SchemaMessages.typeHint(v.schemaValue(), v.value(), s.text());
        }
        return new ProfileError(at, where + ": " + message);
    }

    private String keyMessage(String keyword, String property, String parentPath, SchemaViolation v, String custom) {
        if (keyword.equals("propertyNames")) {
            String own = v.pointer() == null ? null : profileSchema.message(v.pointer() + "/" + nameKeyword(v.schemaValue(), property));
            if (own != null) return own;
            if (custom != null) return custom;
            Object[] args = v.arguments();
            if (args == null || args.length < 2) return "invalid name";
            return "invalid name: " + args[1];
        }
        if (parentPath.equals("spec")) {
            return "unknown resource kind '" + property + "' (known: " + String.join(", ", profileSchema.knownKinds()) + ")";
        }
        return "unknown field '" + property + "'" + allowedFields(parentPath);
    }

    /**
     * Which keyword of a {@code propertyNames} schema a name fails: networknt reports only the propertyNames keyword.
     * With several patterns under {@code allOf} (one message each), the first whose pattern the name does not match
     * ({@code allOf/1/pattern}); then its own pattern; then a {@code not}, {@code enum} or {@code const} it has.
     */
    static String nameKeyword(JsonNode names, String name) {
        if (names == null) return "";
        JsonNode max = names.get("maxLength");
        if (max != null && max.canConvertToInt() && name.codePointCount(0, name.length()) > max.asInt()) return "maxLength";
        JsonNode min = names.get("minLength");
        if (min != null && min.canConvertToInt() && name.codePointCount(0, name.length()) < min.asInt()) return "minLength";
        JsonNode all = names.get("allOf");
        if (all != null && all.isArray()) {
            for (int i = 0; i < all.size(); i++) {
                JsonNode p = all.get(i).get("pattern");
                if (p != null && p.isString() && !matches(p.asString(), name)) return "allOf/" + i + "/pattern";
            }
        }
        JsonNode pattern = names.get("pattern");
        if (pattern != null && pattern.isString() && !matches(pattern.asString(), name)) return "pattern";
        for (String other : List.of("not", "enum", "const")) {
            if (names.has(other)) return other;
        }
        return pattern != null ? "pattern" : "";
    }

    /** ECMA-262 {@code pattern} semantics (a search, not a whole match) with Java's regex, for the patterns schemas use. */
    private static boolean matches(String pattern, String name) {
        try {
            return java.util.regex.Pattern.compile(pattern).matcher(name).find();
        } catch (java.util.regex.PatternSyntaxException e) {
            return true;
        }
    }

    /** "(allowed: a, b)" from the schema's properties at the same place, when it has any. */
    private String allowedFields(String parentPath) {
        JsonNode s = profileSchema.tree();
        if (!parentPath.isEmpty()) {
            for (String seg : parentPath.split("\\.")) {
                s = s.path("properties").path(seg);
            }
        }
        JsonNode props = s.path("properties");
        if (!props.isObject() || props.isEmpty()) return "";
        return " (allowed: " + String.join(", ", props.propertyNames()) + ")";
    }
}
