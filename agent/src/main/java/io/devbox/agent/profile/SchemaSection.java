package io.devbox.agent.profile;

import java.util.Objects;

/**
 * One kind's part of the profile schema: its section under {@code spec} and the classpath resource of its schema
 * fragment (see {@link SchemaAssembly} for what a fragment holds).
 *
 * @param specKey  the section, e.g. {@code systemd}
 * @param resource the fragment's absolute classpath resource, e.g. {@code /io/devbox/agent/kinds/systemd/schema.json};
 *                 its custom messages, if any, are in the sibling {@code schema-messages.json}
 */
public record SchemaSection(String specKey, String resource) {
    public SchemaSection {
        Objects.requireNonNull(specKey, "specKey");
        Objects.requireNonNull(resource, "resource");
        if (!resource.startsWith("/") || !resource.endsWith(".json")) {
            throw new IllegalArgumentException("a schema fragment is an absolute classpath resource ending in .json: " + resource);
        }
    }

    /** The resource of the fragment's custom messages ({@code schema.json} becomes {@code schema-messages.json}). */
    String messagesResource() {
        return resource.substring(0, resource.length() - ".json".length()) + "-messages.json";
    }
}
