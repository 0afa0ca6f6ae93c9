package io.devbox.agent.enrol;

import io.devbox.agent.host.Host;
import io.devbox.agent.host.WslEnvironment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How this box keeps {@code devbox-agent watch} running: a systemd service where systemd is PID 1, WSL's {@code [boot]
 * command} on a WSL distro without systemd, and otherwise nothing the agent can set up (the user starts it).
 */
public sealed interface Loop permits SystemdLoop, WslBootLoop, ManualLoop {

    /** @param enabled starts at boot; @param running the daemon runs now */
    record State(boolean enabled, boolean running) {
    }

    /** What runs the daemon here, for messages (e.g. {@code devbox-agent.service}). */
    String describe();

    State state() throws IOException;

    /** Why this loop cannot be started here (its unit or script is not installed), checked before anything changes. */
    Optional<String> missing() throws IOException;

    /**
     * Makes the daemon start at boot and run now; a running one restarts when {@code restart} (its config changed).
     * Returns one line per thing it did; empty when nothing needed doing.
     */
    List<String> start(boolean restart) throws IOException;

    /** Stops the daemon and keeps it from starting at boot; one line per thing it did. */
    List<String> stop() throws IOException;

    /** What went wrong with a daemon that stopped, for the user (the last lines of its log), or empty. */
    String diagnose();

    /**
     * The way this box can: systemd as PID 1 (only on the real box: a {@code --root} sandbox never reaches the machine's
     * systemd), WSL without systemd, else manual.
     *
     * @param config   the agent config file the daemon reads
     * @param stateDir the daemon's state directory (its watch.json tells its pid)
     */
    static Loop detect(Host host, Installation installation, Path config, Path stateDir, WslEnvironment wsl) {
        if (!host.sandboxed() && host.facts().systemd()) return new SystemdLoop(host.commands());
        if (wsl.isWsl(host) && !host.facts().systemd()) return new WslBootLoop(host, installation, stateDir);
        return new ManualLoop(host, installation, config, stateDir);
    }

    /** The daemon's command line for this box. */
    static List<String> watchCommand(Installation installation, Path config, Path root) {
        List<String> argv = new java.util.ArrayList<>(List.of(installation.agent().toString(), "watch", "--config", config.toString()));
        if (!root.equals(Path.of("/"))) argv.addAll(List.of("--root", root.toString()));
        return argv;
    }

    /** A command line as sh reads it: each word single-quoted unless it is plain. */
    static String shell(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(a.matches("[A-Za-z0-9_./:=@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
