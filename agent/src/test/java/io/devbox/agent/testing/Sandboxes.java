package io.devbox.agent.testing;

import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A sandboxed box in a temp dir: a fake /proc/sys tree and an /etc, as {@code --root} would see it. */
public final class Sandboxes {
    private Sandboxes() {
    }

    public static Host host(Path root) {
        return host(root, false, false);
    }

    public static Host host(Path root, boolean wsl, boolean systemd) {
        Facts facts = new Facts("dev-1", "boot-1", wsl, systemd, "dev", "/home/dev", true);
        return new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), root.resolve("var/lib/devbox-agent"),
                facts, new Commands());
    }

    /** Writes kernel parameters into the fake /proc/sys, the way the kernel prints them (tabs, newline). */
    public static void sysctls(Path root, Map<String, String> values) throws IOException {
        for (Map.Entry<String, String> e : values.entrySet()) {
            Path f = root.resolve("proc/sys").resolve(e.getKey().replace('.', '/'));
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue() + "\n");
        }
    }
}
