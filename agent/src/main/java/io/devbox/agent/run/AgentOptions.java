package io.devbox.agent.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The common options of every command, after defaults.
 *
 * @param repo      a git URL or path, or null for the repository containing the working directory
 * @param worktree  read files on disk instead of the committed tree
 * @param root      the box's root ("/" for the real box)
 * @param stateDir  null for the default (/var/lib/devbox-agent, or $XDG_STATE_HOME/devbox-agent when not root)
 */
public record AgentOptions(String repo, String ref, String path, boolean worktree, Path root, Path stateDir,
                           Path sysctlDir, Path cgroupDir, String hostname, Map<String, String> labels, String user,
                           Duration lockWait, Path workingDir) {
    public AgentOptions {
        labels = Map.copyOf(labels);
    }
}
