package io.devbox.agent.testing;

import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A box in a temp directory, as {@code --root} sees it: a Host rooted there (developer "dev" at /home/dev, state
 * under var/lib/devbox-agent), and a fake /proc/sys tree written the way the kernel prints values.
 */
public final class Sandboxes {
    private Sandboxes() {
    }

    public static Host host(Path root) {
        return host(root, "dev", "/home/dev", false, false);
    }

    public static Host host(Path root, String user, String home) {
        return host(root, user, home, false, false);
    }

    public static Host host(Path root, boolean wsl, boolean systemd) {
        return host(root, "dev", "/home/dev", wsl, systemd);
    }

    public static Host host(Path root, String user, String home, boolean wsl, boolean systemd) {
        Path state = root.resolve("var/lib/devbox-agent");
        try {
            Files.createDirectories(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Facts facts = new Facts("dev-42", "boot-1", wsl, systemd, user, home, "root".equals(System.getProperty("user.name")));
        return new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), state, facts, new Commands());
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
