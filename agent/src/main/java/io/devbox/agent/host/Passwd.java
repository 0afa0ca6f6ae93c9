package io.devbox.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads /etc/passwd (under a root) defensively: malformed lines are skipped. */
public final class Passwd {
    public record Entry(String name, int uid, String home) {
    }

    private Passwd() {
    }

    public static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length < 7 || f[0].isEmpty()) continue;
                try {
                    out.add(new Entry(f[0], Integer.parseInt(f[2]), f[5]));
                } catch (NumberFormatException e) {
                    // skip
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }
}
