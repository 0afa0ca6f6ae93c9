package io.devbox.agent.kinds;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the digest of the standard kinds' schema ({@link io.devbox.agent.profile.ProfileSchema#builtDigestText()}) to
 * the file named on the command line. The build runs it at process-classes into the jar, so that a run whose profiles
 * are already known valid reads one resource instead of every fragment.
 */
public final class SchemaDigestFile {
    private SchemaDigestFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: SchemaDigestFile FILE");
        Path file = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(file.getParent());
        AtomicFiles.writeIfChanged(file, Kinds.schema().builtDigestText().getBytes(StandardCharsets.UTF_8), null);
    }
}
