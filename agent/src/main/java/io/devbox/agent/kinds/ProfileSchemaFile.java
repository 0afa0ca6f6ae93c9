package io.devbox.agent.kinds;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the profile schema of the standard kinds ({@link Kinds#schema()}, assembled from each kind's fragment) to
 * the files named on the command line. The build runs it at process-classes into the jar's {@code schema/}; with
 * {@code -Pupdate-schema} it also rewrites the checked-in {@code schema/profile.schema.json} that editors use.
 */
public final class ProfileSchemaFile {
    private ProfileSchemaFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) throw new IllegalArgumentException("usage: ProfileSchemaFile FILE...");
        byte[] text = Kinds.schema().json().getBytes(StandardCharsets.UTF_8);
        for (String a : args) {
            Path file = Path.of(a).toAbsolutePath();
            Files.createDirectories(file.getParent());
            AtomicFiles.writeIfChanged(file, text, null);
        }
    }
}
