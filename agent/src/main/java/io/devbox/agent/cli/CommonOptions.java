package io.devbox.agent.cli;

import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.GitOptions;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every command takes, before or after the command name (picocli inherited scope). */
public final class CommonOptions {
    String repo;
    String ref;
    String path;
    boolean worktree;
    Path root;
    Path stateDir;
    Path sysctlDir;
    Path cgroupDir;
    Path config;
    String hostname;
    Map<String, String> labels = new LinkedHashMap<>();
    private List<String> labelArgs = new ArrayList<>();
    String user;
    boolean noColor;
    int lockWaitSeconds;
    boolean verifyCommits;
    Path allowedSigners;
    Path gpgKeys;
    boolean requireFastForward;
    boolean debug;

    /** Registers these options on the root command; picocli copies them into every subcommand (inherited scope). */
    void addTo(CommandSpec rootCommand) {
        Specs.of(rootCommand).inherit()
                .option("--repo", "URL|DIR", String.class, "Profile repository: a git URL (https, ssh, git, file, "
                        + "user@host:path; fetched into a cache clone in the state dir), a local git repository (its "
                        + "committed tree) or, with --worktree, a directory. Default: the git repository containing the "
                        + "current directory.", v -> repo = v)
                .option("--ref", "REF", String.class, "Branch, tag or commit to read (default: HEAD).", v -> ref = v)
                .option("--path", "DIR", String.class, "Profiles directory inside the repository (default: profiles).", v -> path = v)
                .flag("--worktree", "Read the files as they are on disk instead of the committed tree.", v -> worktree = v)
                .option(Specs.option("--root", "Relocate every path the agent manages under DIR (a sandboxed box).", Path.class)
                        .paramLabel("DIR").defaultValue("/"), root, v -> root = v)
                .option("--state-dir", "DIR", Path.class, "Agent state (default /var/lib/devbox-agent, or "
                        + "$XDG_STATE_HOME/devbox-agent when not root).", v -> stateDir = v)
                .option("--sysctl-dir", "DIR", Path.class, "Kernel parameters directory (default <root>/proc/sys).", v -> sysctlDir = v)
                .option("--cgroup-dir", "DIR", Path.class, "cgroup file system (default <root>/sys/fs/cgroup).", v -> cgroupDir = v)
                .option("--config", "FILE", Path.class, "Agent config file (default /etc/devbox-agent/agent.yaml when it exists).", v -> config = v)
                .option("--hostname", "NAME", String.class, "This box's name for selectors and $${hostname} (default: the system's).", v -> hostname = v)
                .option(Specs.option("--label", "A label of this box for selectors and $${label.K}; repeatable. Kubernetes "
                                + "label syntax: team=backend, example.com/ci=runner, gpu= (empty value).", List.class)
                                .auxiliaryTypes(String.class).converters(new Inputs.Label()).paramLabel("K=V"), labelArgs,
                        (List<String> v) -> labels = labelMap(v))
                .option("--user", "NAME", String.class, "The developer user for $${user} and $${home} (default: SUDO_USER, "
                        + "else the first user with uid >= 1000).", v -> user = v)
                .flag("--no-color", "No colors (also when NO_COLOR is set or output is not a terminal).", v -> noColor = v)
                .option(Specs.option("--lock-wait", "How long to wait for another run's lock (default: ${DEFAULT-VALUE}).", int.class)
                        .paramLabel("SECONDS").defaultValue("5").converters(new Inputs.Seconds()), lockWaitSeconds,
                        v -> lockWaitSeconds = v)
                .flag("--verify-commits", "The pinned commit must carry a valid signature by a key of --allowed-signers "
                        + "or --gpg-keys.", v -> verifyCommits = v)
                .option("--allowed-signers", "FILE", Path.class, "Trusted SSH signing keys (git's allowed-signers format).", v -> allowedSigners = v)
                .option("--gpg-keys", "FILE", Path.class, "Trusted OpenPGP public keys (armored).", v -> gpgKeys = v)
                .flag("--require-fast-forward", "Refuse a remote head that does not descend from the last good commit "
                        + "(force-push).", v -> requireFastForward = v)
                .flag("--debug", "Show stack traces of internal errors.", v -> debug = v);
    }

    /** The labels given, checked by {@link Inputs.Label}; a key given twice takes the last value. */
    private static Map<String, String> labelMap(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null) return out;
        for (String a : args) {
            int eq = a.indexOf('=');
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

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
