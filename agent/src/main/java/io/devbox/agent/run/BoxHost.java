package io.devbox.agent.run;

import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.FactsProbe;
import io.devbox.agent.host.Host;
import io.devbox.agent.source.StateDirGitConfig;

import java.nio.file.Path;
import java.util.Map;

/** The box a session works on: its facts gathered, and every path the options relocate (--root, --state-dir, ...). */
final class BoxHost {
    private BoxHost() {
    }

    static Host of(AgentOptions o, Map<String, String> env) {
        Path root = o.root().toAbsolutePath().normalize();
        Facts facts = new FactsProbe(root, env).gather(o.hostname(), o.user());
        Path sysctl = o.sysctlDir() != null ? o.sysctlDir() : root.resolve("proc/sys");
        Path cgroup = o.cgroupDir() != null ? o.cgroupDir() : root.resolve("sys/fs/cgroup");
        Path stateDir = o.stateDir() != null ? o.stateDir() : defaultStateDir(root, facts, env);
        // before JGit opens anything: its config files (and what it writes of them) live in the state directory
        StateDirGitConfig.install(stateDir);
        return new Host(root, sysctl, cgroup, stateDir, facts, new Commands());
    }

    static Path defaultStateDir(Path root, Facts facts, Map<String, String> env) {
        if (facts.root()) return root.resolve("var/lib/devbox-agent");
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("devbox-agent");
    }
}
