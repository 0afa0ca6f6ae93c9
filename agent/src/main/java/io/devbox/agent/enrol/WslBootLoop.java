package io.devbox.agent.enrol;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IniDocument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A WSL distro without systemd: WSL runs {@code /etc/wsl.conf}'s {@code [boot] command} as root when the distro
 * starts. The agent's start script (which starts {@code devbox-agent watch} in the background, once per boot) is added
 * to that command beside what is there, through the wsl kind's INI editor (comments, order and spelling kept).
 */
public final class WslBootLoop implements Loop {
    static final String PID_FILE = "/run/devbox-agent.pid";
    static final String LOG_FILE = "/var/log/devbox-agent.log";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final Installation installation;
    private final Path stateDir;
    private final List<String> startArgv;
    private final BootCommand boot;

    WslBootLoop(Host host, Installation installation, Path stateDir) {
        this.host = host;
        this.installation = installation;
        this.stateDir = stateDir;
        List<String> argv = new ArrayList<>(List.of(installation.wslStart().toString()));
        if (host.sandboxed()) argv.addAll(List.of("--root", host.root().toString()));
        this.startArgv = List.copyOf(argv);
        this.boot = new BootCommand(Loop.shell(argv));
    }

    @Override
    public String describe() {
        return "WSL's [boot] command in /etc/wsl.conf";
    }

    /** The text this loop puts into the boot command. */
    public String bootCommand() {
        return boot.start();
    }

    @Override
    public State state() throws IOException {
        return new State(boot.in(wslConf().get("boot", "command").orElse(null)), running().isPresent());
    }

    /**
     * The start script must be there, and it, the launcher and the jar must be root's alone: WSL runs them as root at
     * every boot.
     */
    @Override
    public Optional<String> missing() {
        Path script = Path.of(startArgv.get(0));
        if (!Files.isExecutable(script)) return Optional.of("the start script " + script + " is missing");
        return RootOnly.problem(script).or(() -> RootOnly.problem(installation.agent()))
                .or(() -> installation.jar().flatMap(RootOnly::problem));
    }

    private Optional<ProcessHandle> running() {
        return WatchProcess.fromPidFile(host.path(PID_FILE)).or(() -> WatchProcess.fromState(stateDir));
    }

    @Override
    public List<String> start(boolean restart) throws IOException {
        List<String> did = new ArrayList<>();
        IniDocument conf = wslConf();
        String existing = conf.get("boot", "command").orElse(null);
        String wanted = boot.with(existing);
        if (!wanted.equals(existing)) {
            conf.set("boot", "command", wanted);
            AtomicFiles.write(host.path("/etc/wsl.conf"), conf.toBytes(), "rw-r--r--");
            did.add("added the agent's start to /etc/wsl.conf [boot] command" + (existing == null || existing.isBlank()
                    ? "" : ", before the command that was there") + ": " + wanted);
        }
        Optional<ProcessHandle> daemon = running();
        if (daemon.isPresent() && restart) {
            WatchProcess.stop(daemon.get());
            did.add("stopped devbox-agent watch (pid " + daemon.get().pid() + "): its enrolment changed");
            daemon = Optional.empty();
        }
        if (daemon.isEmpty()) {
            CommandResult r = host.commands().run(startArgv, Map.of(), null, START_TIMEOUT);
            if (!r.ok()) throw new IOException("cannot start the agent: " + r.describe());
            did.add("started devbox-agent watch in the background (" + Loop.shell(startArgv) + "; log " + LOG_FILE + ")");
        }
        return did;
    }

    @Override
    public List<String> stop() throws IOException {
        List<String> did = new ArrayList<>();
        Optional<ProcessHandle> daemon = running();
        if (daemon.isPresent()) {
            WatchProcess.stop(daemon.get());
            did.add("stopped devbox-agent watch (pid " + daemon.get().pid() + ")");
        }
        if (AtomicFiles.delete(host.path(PID_FILE)) && did.isEmpty()) did.add("removed the stale " + PID_FILE);
        IniDocument conf = wslConf();
        String existing = conf.get("boot", "command").orElse(null);
        if (boot.in(existing)) {
            Optional<String> rest = boot.without(existing);
            if (rest.isPresent()) conf.set("boot", "command", rest.get());
            else conf.remove("boot", "command");
            AtomicFiles.write(host.path("/etc/wsl.conf"), conf.toBytes(), "rw-r--r--");
            did.add(rest.map(r -> "removed the agent's start from /etc/wsl.conf [boot] command (kept: " + r + ")")
                    .orElse("removed the [boot] command from /etc/wsl.conf (it only started the agent)"));
        }
        return did;
    }

    @Override
    public String diagnose() {
        try {
            List<String> lines = Files.readAllLines(host.path(LOG_FILE));
            return "the last lines of " + LOG_FILE + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "see " + LOG_FILE;
        }
    }

    private IniDocument wslConf() throws IOException {
        try {
            return IniDocument.parse(Files.readAllBytes(host.path("/etc/wsl.conf")));
        } catch (NoSuchFileException e) {
            return IniDocument.parse("");
        }
    }
}
