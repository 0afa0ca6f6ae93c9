package io.devbox.agent.cli;

import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.GitOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options every command takes, before or after the command name (picocli inherited scope). */
public final class CommonOptions {
    @Option(names = "--repo", scope = ScopeType.INHERIT, paramLabel = "URL|DIR",
            description = "Profile repository: a git URL (https, ssh, git, file, user@host:path; fetched into a cache clone in the state dir), "
                    + "a local git repository (its committed tree) or, with --worktree, a directory. "
                    + "Default: the git repository containing the current directory.")
    String repo;

    @Option(names = "--ref", scope = ScopeType.INHERIT, paramLabel = "REF", description = "Branch, tag or commit to read (default: HEAD).")
    String ref;

    @Option(names = "--path", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "Profiles directory inside the repository (default: profiles).")
    String path;

    @Option(names = "--worktree", scope = ScopeType.INHERIT, description = "Read the files as they are on disk instead of the committed tree.")
    boolean worktree;

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "Relocate every path the agent manages under DIR (a sandboxed box).", defaultValue = "/")
    Path root;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "Agent state (default /var/lib/devbox-agent, or $XDG_STATE_HOME/devbox-agent when not root).")
    Path stateDir;

    @Option(names = "--sysctl-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "Kernel parameters directory (default <root>/proc/sys).")
    Path sysctlDir;

    @Option(names = "--cgroup-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "cgroup file system (default <root>/sys/fs/cgroup).")
    Path cgroupDir;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "Agent config file (default /etc/devbox-agent/agent.yaml when it exists).")
    Path config;

    @Option(names = "--hostname", scope = ScopeType.INHERIT, paramLabel = "NAME", description = "This box's name for selectors and $${hostname} (default: the system's).")
    String hostname;

    @Option(names = "--label", scope = ScopeType.INHERIT, paramLabel = "K=V", description = "A label of this box for selectors and $${label.K}; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "NAME", description = "The developer user for $${user} and $${home} (default: SUDO_USER, else the first user with uid >= 1000).")
    String user;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "No colors (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Option(names = "--lock-wait", scope = ScopeType.INHERIT, paramLabel = "SECONDS", description = "How long to wait for another run's lock (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int lockWaitSeconds;

    @Option(names = "--verify-commits", scope = ScopeType.INHERIT, description = "The pinned commit must carry a valid signature by a key of --allowed-signers or --gpg-keys.")
    boolean verifyCommits;

    @Option(names = "--allowed-signers", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "Trusted SSH signing keys (git's allowed-signers format).")
    Path allowedSigners;

    @Option(names = "--gpg-keys", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "Trusted OpenPGP public keys (armored).")
    Path gpgKeys;

    @Option(names = "--require-fast-forward", scope = ScopeType.INHERIT, description = "Refuse a remote head that does not descend from the last good commit (force-push).")
    boolean requireFastForward;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of internal errors.")
    boolean debug;

    AgentOptions toAgentOptions() {
        return new AgentOptions(repo, ref, path, worktree, root, stateDir, sysctlDir, cgroupDir, hostname, labels, user,
                Duration.ofSeconds(Math.max(0, lockWaitSeconds)), Path.of("").toAbsolutePath());
    }

    /** The git trust options as given on the command line (the config file may add to them). */
    GitOptions toGitOptions() {
        return new GitOptions(verifyCommits, allowedSigners, gpgKeys, requireFastForward, GitOptions.defaults().fetchTimeout());
    }

    boolean color() {
        return !noColor && System.getenv("NO_COLOR") == null && System.console() != null;
    }
}
