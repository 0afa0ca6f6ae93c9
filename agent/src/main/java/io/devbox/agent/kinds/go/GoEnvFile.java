package io.devbox.agent.kinds.go;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure edits of Go's env file ({@code go env -w} writes {@code KEY=VALUE} lines, unquoted). The first line of a key
 * wins; setting a key replaces that line in place and drops later duplicates; other lines are kept as they are.
 */
public final class GoEnvFile {
    private GoEnvFile() {
    }

    /** The value of {@code key}, or null when no line sets it. */
    public static String get(String content, String key) {
        for (String line : content.split("\n", -1)) {
            if (line.startsWith(key + "=")) return stripCr(line.substring(key.length() + 1));
        }
        return null;
    }

    /** The content with {@code key} set to {@code value}, or removed when {@code value} is null. */
    public static String set(String content, String key, String value) {
        List<String> out = new ArrayList<>();
        boolean done = false;
        String[] lines = content.isEmpty() ? new String[0] : content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == lines.length - 1 && line.isEmpty()) break; // the final newline
            if (line.startsWith(key + "=")) {
                if (!done && value != null) out.add(key + "=" + value);
                done = true;
                continue;
            }
            out.add(line);
        }
        if (!done && value != null) out.add(key + "=" + value);
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
