package io.devbox.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads pseudo files (/proc, /sys) that report size 0: {@code Files.readAllBytes} trusts the size and, on some
 * kernels, returns a single byte of them. A plain stream read to EOF is always right.
 */
public final class KernelFiles {
    private KernelFiles() {
    }

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
