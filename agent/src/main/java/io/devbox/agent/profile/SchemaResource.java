package io.devbox.agent.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The profile schema's bytes, read from the classpath ({@code schema/profile.schema.json}, packaged from schema/). */
final class SchemaResource {
    static final String PATH = "schema/profile.schema.json";

    private SchemaResource() {
    }

    static byte[] bytes() {
        try (InputStream in = SchemaResource.class.getClassLoader().getResourceAsStream(PATH)) {
            if (in == null) throw new IllegalStateException("the profile schema is missing from the classpath: " + PATH);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PATH, e);
        }
    }
}
