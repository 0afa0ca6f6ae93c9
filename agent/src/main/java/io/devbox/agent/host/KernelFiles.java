package io.devbox.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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

    /**
     * Reads many pseudo files in a row through one buffer, for a kind that probes thousands of them (a fresh 8 KiB
     * array per file is most of what a large plan allocates). Reads like {@link #read}: the first read asks for
     * 8 KiB, as many /proc handlers answer only the first read of an open file. One instance per run and thread.
     */
    public static final class Reader {
        private byte[] buf = new byte[8192];

        public String read(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                int n = 0;
                for (int r; (r = in.read(buf, n, buf.length - n)) >= 0; ) {
                    n += r;
                    if (n == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
                }
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
        }
    }
}
