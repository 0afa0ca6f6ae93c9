package io.devbox.agent.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where a program is: the first executable file of that name in a PATH's directories, else in its usual places. */
public final class Programs {
    private Programs() {
    }

    /**
     * @param pathVar   a PATH value ({@code :}-separated; empty entries are skipped)
     * @param fallbacks where to look when PATH has none, in order
     */
    public static Optional<Path> find(String pathVar, String name, String... fallbacks) {
        for (String dir : pathVar.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
        }
        for (String f : List.of(fallbacks)) {
            Path p = Path.of(f);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
