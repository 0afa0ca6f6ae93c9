package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The box the agent manages. Every managed path goes through {@link #path(String)}, so that {@code --root}
 * relocates all of them; the kernel interfaces have their own overrides ({@code --sysctl-dir}, {@code --cgroup-dir}).
 * {@code stateDir} is the agent's own state directory; a kind may keep small records there (under a
 * subdirectory named after the kind), written with {@link AtomicFiles}.
 */
public record Host(Path root, Path sysctlDir, Path cgroupDir, Path stateDir, Facts facts, Commands commands) {

    /** An absolute box path (e.g. {@code /etc/sysctl.d}) under the root. */
    public Path path(String absolute) {
        SafePaths.absoluteProblem(absolute).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        int start = 0;
        while (start < absolute.length() && absolute.charAt(start) == '/') start++;
        String rel = absolute.substring(start);
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /**
     * The box's files as root may touch them: root-only paths plainly, paths in a tree a user controls only through
     * directory handles, without following links ({@link BoxFs}).
     */
    public BoxFs fs() throws IOException {
        return new BoxFs(this);
    }

    /** True when the agent works on a sandbox rather than the real box. */
    public boolean sandboxed() {
        return !root.equals(Path.of("/"));
    }
}
