package io.devbox.agent.profile;

import io.devbox.agent.host.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles the profile schema from the envelope ({@code envelope.schema.json} beside this class: apiVersion, kind,
 * metadata, selector, priority, the shared {@code $defs}) and one fragment per kind.
 *
 * <p>A fragment is a JSON Schema (2020-12) of its kind's section: its root becomes {@code $defs/<specKey>} and
 * {@code spec.properties.<specKey>} refers to it; its own {@code $defs} are hoisted into the profile schema's
 * {@code $defs} (so {@code #/$defs/NAME} means the same in both; a name two kinds define is an error), except
 * {@code $defs/composed}, which becomes {@code $defs/composedSpec/properties/<specKey>}: what the spec composed for a box
 * must hold beyond each file's shape. A fragment may refer to the envelope's {@code #/$defs/dependsOn}.
 *
 * <p>Custom messages ({@code schema-messages.json} beside a fragment or the envelope) map the JSON pointer of a keyword
 * to the message {@code agent validate} shows when that keyword fails; the pointers of a fragment are rebased the same
 * way its schema is. The schema itself keeps only standard keywords, so editors show their standard messages.
 */
final class SchemaAssembly {
    static final String ENVELOPE = "/io/devbox/agent/profile/envelope.schema.json";
    private static final String COMPOSED = "composed";

    /** The assembled schema and the custom messages keyed by JSON pointer into it. */
    record Assembled(ObjectNode schema, Map<String, String> messages) {
        Assembled {
            messages = Map.copyOf(messages);
        }
    }

    private SchemaAssembly() {
    }

    static Assembled assemble(List<SchemaSection> sections) {
        ObjectNode envelope = (ObjectNode) Json.read(bytes(ENVELOPE));
        Map<String, String> messages = new LinkedHashMap<>(messages(new SchemaSection("", ENVELOPE)));
        ObjectNode specProperties = (ObjectNode) envelope.path("properties").path("spec").path("properties");
        ObjectNode envelopeDefs = (ObjectNode) envelope.get("$defs");
        ObjectNode composed = (ObjectNode) envelopeDefs.path("composedSpec").path("properties");
        ObjectNode defs = Json.object();
        Map<String, String> owners = new LinkedHashMap<>();
        envelopeDefs.propertyNames().forEach(n -> owners.put(n, "the envelope"));
        for (SchemaSection s : sections) {
            JsonNode read = Json.read(bytes(s.resource()));
            if (!(read instanceof ObjectNode fragment)) throw new IllegalArgumentException(s.resource() + " is not a JSON object");
            if (specProperties.has(s.specKey())) throw new IllegalArgumentException("two kinds have the section spec." + s.specKey());
            String kind = "spec." + s.specKey() + " (" + s.resource() + ")";
            claim(owners, s.specKey(), kind);
            ObjectNode section = fragment.deepCopy();
            section.remove("$schema");
            section.remove("$id");
            JsonNode own = section.remove("$defs");
            defs.set(s.specKey(), section);
            specProperties.set(s.specKey(), Json.object().put("$ref", "#/$defs/" + s.specKey()));
            if (own != null) {
                for (Map.Entry<String, JsonNode> d : own.properties()) {
                    if (d.getKey().equals(COMPOSED)) {
                        composed.set(s.specKey(), d.getValue());
                    } else {
                        claim(owners, d.getKey(), kind);
                        defs.set(d.getKey(), d.getValue());
                    }
                }
            }
            messages(s).forEach((pointer, message) -> messages.put(rebase(pointer, s.specKey()), message));
        }
        defs.setAll(envelopeDefs);
        envelope.set("$defs", defs);
        return new Assembled(envelope, messages);
    }

    /** A fragment's pointer as a pointer into the assembled schema. */
    static String rebase(String pointer, String specKey) {
        String composedPrefix = "/$defs/" + COMPOSED;
        if (pointer.equals(composedPrefix) || pointer.startsWith(composedPrefix + "/")) {
            return "/$defs/composedSpec/properties/" + escape(specKey) + pointer.substring(composedPrefix.length());
        }
        if (pointer.startsWith("/$defs/")) return pointer;
        return "/$defs/" + escape(specKey) + pointer;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static void claim(Map<String, String> owners, String name, String by) {
        String had = owners.putIfAbsent(name, by);
        if (had != null) throw new IllegalArgumentException("$defs/" + name + " of " + by + " is taken by " + had);
    }

    private static Map<String, String> messages(SchemaSection s) {
        byte[] raw = optionalBytes(s.messagesResource());
        if (raw == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : Json.read(raw).properties()) {
            if (!e.getKey().startsWith("/") || !e.getValue().isString()) {
                throw new IllegalArgumentException(s.messagesResource() + ": '" + e.getKey() + "' must be a JSON pointer to a message");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    static byte[] bytes(String resource) {
        byte[] b = optionalBytes(resource);
        if (b == null) throw new IllegalArgumentException("schema resource missing from the classpath: " + resource);
        return b;
    }

    static byte[] optionalBytes(String resource) {
        try (InputStream in = SchemaAssembly.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
