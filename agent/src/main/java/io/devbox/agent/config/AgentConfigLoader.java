package io.devbox.agent.config;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.TrustedPaths;
import io.devbox.agent.host.Json;
import io.devbox.agent.profile.AnyOfBranches;
import io.devbox.agent.profile.Durations;
import io.devbox.agent.profile.InstanceLocation;
import io.devbox.agent.profile.SchemaViolation;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.YamlDocuments;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the agent config file: YAML with positions (the profile loader's reader), validated against
 * {@code schema/agent-config.schema.json}; every problem is a located error and nothing of a bad file is used.
 */
public final class AgentConfigLoader {
    static final String SCHEMA = "schema/agent-config.schema.json";
    private static final Set<String> KEY_KEYWORDS = Set.of("additionalProperties", "propertyNames", "unevaluatedProperties");

    private AgentConfigLoader() {
    }

    /** A config file is a few kilobytes; anything much larger is not one. */
    static final long MAX_BYTES = 1 << 20;

    /**
     * The config of {@code explicit} (which must exist), else of {@code defaultFile} when it exists, else none. The
     * file decides what the agent runs as root (its source, its trusted keys): it and every directory above it must
     * be owned by root (or the agent's own user) and writable by nobody else, or it is refused (see
     * {@link TrustedPaths}).
     */
    public static AgentConfig load(Path explicit, Path defaultFile) throws IOException {
        Path file = explicit != null ? explicit : defaultFile;
        TrustedPaths.require(file, "the agent config");
        byte[] bytes;
        try {
            bytes = AtomicFiles.readCapped(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            if (explicit == null) return AgentConfig.NONE;
            throw new IOException("--config " + explicit + ": no such file");
        }
        return parse(file, bytes);
    }

    static AgentConfig parse(Path file, byte[] bytes) throws ConfigException {
        String name = file.toString();
        if (new String(bytes, StandardCharsets.UTF_8).lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            return new AgentConfig(file, null, null, null, null, null, null, AgentConfig.Verify.NONE, Map.of(), null, null,
                    null, AgentConfig.History.NONE, AgentConfig.Metrics.NONE, AgentConfig.Download.NONE, ReportPush.NEVER);
        }
        List<ProfileError> errors = new ArrayList<>();
        Optional<YamlDocuments.Document> doc = YamlDocuments.read(name, bytes, errors);
        if (doc.isEmpty()) throw new ConfigException(errors);
        if (!(doc.get().root() instanceof Node.Mapping root)) {
            throw new ConfigException(List.of(new ProfileError(doc.get().root().origin(), "the agent config must be a mapping of settings")));
        }
        for (SchemaViolation v : AnyOfBranches.fold(Holder.SCHEMA.validate(doc.get().json()))) errors.add(locate(name, root, v));
        if (!errors.isEmpty()) {
            errors.sort(null);
            throw new ConfigException(errors);
        }
        Node.Mapping verify = mapping(root, "verify");
        Node.Mapping history = mapping(root, "history");
        Node.Mapping metrics = mapping(root, "metrics");
        Node.Mapping download = mapping(root, "download");
        for (String key : List.of("deadline", "rateWindow")) {
            Node n = download.get(key);
            if (n != null && duration(n) != null && duration(n).isZero()) {
                throw new ConfigException(List.of(new ProfileError(n.origin(), "download." + key + ": must be longer than 0")));
            }
        }
        Node.Mapping report = mapping(root, "report");
        ReportPush push;
        try {
            push = ReportPush.parse(text(report.get("push")), duration(report.get("heartbeat")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ProfileError(report.get("push") != null ? report.get("push").origin()
                    : report.origin(), "report: " + e.getMessage())));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        mapping(root, "labels").entries().forEach((k, v) -> labels.put(k, text(v)));
        return new AgentConfig(file, text(root.get("repo")), text(root.get("ref")), text(root.get("path")),
                duration(root.get("interval")), duration(root.get("driftInterval")), text(root.get("mode")),
                new AgentConfig.Verify(bool(verify.get("commits")), path(verify.get("allowedSigners")),
                        path(verify.get("gpgKeys")), bool(verify.get("requireFastForward"))),
                labels, text(root.get("hostname")), text(root.get("user")), path(root.get("stateDir")),
                new AgentConfig.History(history.get("keep") == null ? null : Integer.valueOf(text(history.get("keep"))),
                        duration(history.get("maxAge"))),
                new AgentConfig.Metrics(path(metrics.get("textfile")), text(metrics.get("address")), bool(metrics.get("allowRemote"))),
                new AgentConfig.Download(duration(download.get("deadline")), duration(download.get("rateWindow")),
                        download.get("minBytesPerWindow") == null ? null : Long.valueOf(text(download.get("minBytesPerWindow")))),
                push);
    }

    private static final class Holder {
        static final Schema SCHEMA = load();
        /** The agent's own messages, keyed by the JSON pointer of the keyword in the schema. */
        static final Map<String, String> MESSAGES = messages();

        private static Map<String, String> messages() {
            try (InputStream in = AgentConfigLoader.class.getResourceAsStream("agent-config.schema-messages.json")) {
                if (in == null) throw new IllegalStateException("the agent config schema's messages are missing from the classpath");
                Map<String, String> out = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : Json.read(in.readAllBytes()).properties()) out.put(e.getKey(), e.getValue().asString());
                return Map.copyOf(out);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the agent config schema's messages", e);
            }
        }

        private static Schema load() {
            try (InputStream in = AgentConfigLoader.class.getClassLoader().getResourceAsStream(AgentConfigLoader.SCHEMA)) {
                if (in == null) throw new IllegalStateException("the agent config schema is missing from the classpath");
                SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(false).build();
                SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                        b -> b.schemaRegistryConfig(config));
                return registry.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + AgentConfigLoader.SCHEMA, e);
            }
        }
    }

    /** Points a schema violation at the offending key or value. */
    private static ProfileError locate(String file, Node.Mapping root, SchemaViolation e) {
        InstanceLocation l = InstanceLocation.resolve(root, e.instance());
        Node node = l.node();
        Node.Mapping parent = l.parent();
        String lastKey = l.lastKey();
        String path = l.path();
        String keyword = e.keyword();
        String where = path.isEmpty() ? "config" : path;
        Origin fallback = new Origin(file, 1, 1);
        if (KEY_KEYWORDS.contains(keyword) && e.property() != null && node instanceof Node.Mapping m) {
            String prop = e.property();
            String message = keyword.equals("propertyNames") ? "invalid name '" + prop + "'"
                    : "unknown setting '" + prop + "'" + allowed(path);
            return new ProfileError(m.keyOrigins().getOrDefault(prop, m.origin()),
                    (path.isEmpty() ? prop : path + "." + prop) + ": " + message);
        }
        if (keyword.equals("required")) {
            Origin at = parent != null ? parent.keyOrigin(lastKey) : node != null ? node.origin() : fallback;
            return new ProfileError(at, where + ": missing required setting '" + e.property() + "'");
        }
        Origin at = node != null ? node.origin() : fallback;
        String custom = e.pointer() == null ? null : Holder.MESSAGES.get(e.pointer());
        String message = custom != null ? custom : switch (keyword) {
            case "type" -> "expected " + e.schemaValue() + ", got " + typeName(e.value());
            case "enum" -> "must be one of " + e.schemaValue() + "; got " + e.value();
            case "minimum" -> "must be at least " + e.schemaValue() + ", got " + e.value();
            case "maximum" -> "must be at most " + e.schemaValue() + ", got " + e.value();
            case "minLength" -> "must not be empty";
            default -> e.standard();
        };
        return new ProfileError(at, where + ": " + message);
    }

    private static String allowed(String parentPath) {
        JsonNode s = Holder.SCHEMA.getSchemaNode();
        if (!parentPath.isEmpty()) for (String seg : parentPath.split("\\.")) s = s.path("properties").path(seg);
        JsonNode props = s.path("properties");
        return props.isObject() && !props.isEmpty() ? " (allowed: " + String.join(", ", props.propertyNames()) + ")" : "";
    }

    private static String typeName(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "an empty value";
        if (n.isBoolean()) return "boolean";
        if (n.isNumber()) return "number";
        if (n.isString()) return "string";
        if (n.isArray()) return "list";
        return "mapping";
    }

    private static Node.Mapping mapping(Node.Mapping root, String key) {
        return root.get(key) instanceof Node.Mapping m ? m : new Node.Mapping(Map.of(), Map.of(), root.origin());
    }

    private static String text(Node n) {
        return n instanceof Node.Scalar s && !s.isNull() ? s.text() : null;
    }

    private static Boolean bool(Node n) {
        String t = text(n);
        return t == null ? null : Boolean.valueOf(t.equalsIgnoreCase("true"));
    }

    private static Path path(Node n) {
        String t = text(n);
        return t == null ? null : Path.of(t);
    }

    private static java.time.Duration duration(Node n) {
        String t = text(n);
        return t == null ? null : Durations.parse(t);
    }
}
