package io.devbox.agent.kinds.sysctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The sysctl.d configuration as systemd-sysctl and {@code sysctl --system} read it: files merged by basename across
 * the directories (the first directory wins for a basename), applied in basename order, /etc/sysctl.conf last;
 * for one key the last assignment wins.
 */
public final class SysctlConfFiles {
    public static final List<String> DIRECTORIES = List.of("/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d");
    public static final String SYSCTL_CONF = "/etc/sysctl.conf";

    /** One assignment and the file that made it. */
    public record Assignment(String value, Path file) {
    }

    private SysctlConfFiles() {
    }

    /** Parses one file in sysctl.d format into key (canonical name) to value; bad lines are ignored as procps does. */
    public static Map<String, String> parse(String content) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : content.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
            int eq = l.indexOf('=');
            if (eq <= 0) continue;
            String key = l.substring(0, eq).strip();
            if (key.startsWith("-")) key = key.substring(1).strip();
            try {
                out.put(SysctlKey.parse(key).name(), SysctlValue.normalize(l.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                // procps skips lines it cannot use; so does the effective view
            }
        }
        return out;
    }

    /** The effective boot-time assignment of every key, given a way to map box paths under the root. */
    public static Map<String, Assignment> effective(Function<String, Path> boxPath) throws IOException {
        TreeMap<String, Path> byBasename = new TreeMap<>();
        for (String dir : DIRECTORIES) {
            Path d = boxPath.apply(dir);
            if (!Files.isDirectory(d)) continue;
            // a name filter, not the glob "*.conf": the JDK compiles a glob into a regex on every call
            try (var s = Files.newDirectoryStream(d, f -> f.getFileName().toString().endsWith(".conf"))) {
                for (Path f : s) byBasename.putIfAbsent(f.getFileName().toString(), f);
            }
        }
        List<Path> order = new ArrayList<>(byBasename.values());
        order.add(boxPath.apply(SYSCTL_CONF));
        Map<String, Assignment> out = new LinkedHashMap<>();
        for (Path f : order) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8); // root-only: sysctl.d dirs of /etc, /run, /usr (SECURITY.md)
            } catch (NoSuchFileException e) {
                continue;
            } catch (java.nio.charset.MalformedInputException e) {
                text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1); // root-only, as above
            }
            for (Map.Entry<String, String> e : parse(text).entrySet()) out.put(e.getKey(), new Assignment(e.getValue(), f));
        }
        return out;
    }
}
