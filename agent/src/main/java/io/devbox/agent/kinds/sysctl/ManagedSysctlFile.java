package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The one sysctl.d file the agent owns: a header, then {@code key = value} lines sorted by key. */
final class ManagedSysctlFile {
    static final String PATH = "/etc/sysctl.d/90-devbox-agent.conf";
    private static final String HEADER = """
            # Managed by devbox-agent. Do not edit: a change here is reported as drift and reverted.
            # The values come from the team's profiles; see `agent plan` for where each one is declared.
            """;

    private final Path file;
    private Map<String, String> entries;

    ManagedSysctlFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    Map<String, String> entries() throws IOException {
        if (entries == null) {
            try {
                // root-only: the agent's own /etc/sysctl.d/90-devbox-agent.conf (SECURITY.md, "Paths users control")
                entries = new TreeMap<>(SysctlConfFiles.parse(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (NoSuchFileException e) {
                entries = new TreeMap<>();
            }
        }
        return entries;
    }

    /** Sets (value non-null) or drops one key and rewrites the file only when its content changes. */
    void put(String key, String value) throws IOException {
        Map<String, String> next = new TreeMap<>(entries());
        if (value == null) next.remove(key);
        else next.put(key, value);
        if (next.isEmpty()) {
            AtomicFiles.delete(file);
        } else {
            AtomicFiles.writeIfChanged(file, render(next).getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        }
        entries = null;
    }

    static String render(Map<String, String> entries) {
        StringBuilder sb = new StringBuilder(HEADER);
        entries.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }
}
