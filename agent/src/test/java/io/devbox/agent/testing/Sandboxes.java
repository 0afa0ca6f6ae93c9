package io.devbox.agent.testing;

import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Host rooted in a temp directory (the agent's --root), with the developer "dev" at /home/dev. */
public final class Sandboxes {
    private Sandboxes() {
    }

    public static Host host(Path root) throws IOException {
        return host(root, "dev", "/home/dev");
    }

    public static Host host(Path root, String user, String home) throws IOException {
        Path state = root.resolve("var/lib/devbox-agent");
        Files.createDirectories(state);
        Facts facts = new Facts("dev-42", "boot-1", false, false, user, home, "root".equals(System.getProperty("user.name")));
        return new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), state, facts, new Commands());
    }
}
