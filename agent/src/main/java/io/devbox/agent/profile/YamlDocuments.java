package io.devbox.agent.profile;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * The profile loader's YAML reader for other YAML files of the agent (its config file): the same limits, duplicate
 * key checks and located errors, and the document as JSON (typed by the YAML core schema) for schema validation.
 */
public final class YamlDocuments {
    private YamlDocuments() {
    }

    /** One YAML document with positions, and the same document as JSON. */
    public record Document(Node root, JsonNode json) {
    }

    /** The document, or empty after adding its located errors to {@code errors}. */
    public static Optional<Document> read(String file, byte[] bytes, List<ProfileError> errors) {
        return YamlReader.read(file, bytes, errors)
                .map(p -> new Document(p.root(), ProfileJson.toJson(p.root(), p.scalars())));
    }
}
