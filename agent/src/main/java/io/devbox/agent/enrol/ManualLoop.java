package io.devbox.agent.enrol;

import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A box with neither systemd as PID 1 nor WSL: nothing the agent knows starts it at boot, so {@code enroll} says what
 * to run. {@code leave} still stops a watch it finds running on the state directory.
 */
public final class ManualLoop implements Loop {
    private final Path stateDir;
    private final List<String> watch;

    ManualLoop(Host host, Installation installation, Path config, Path stateDir) {
        this.stateDir = stateDir;
        this.watch = Loop.watchCommand(installation, config, host.root());
    }

    @Override
    public String describe() {
        return "no service manager the agent knows";
    }

    /** What the user should run, in their init system or a terminal. */
    public String instructions() {
        return "This box has neither systemd as PID 1 nor WSL, so nothing here starts the agent at boot. Run it from "
                + "your init system (or a terminal) as root:\n  " + Loop.shell(watch);
    }

    @Override
    public State state() {
        return new State(false, WatchProcess.fromState(stateDir).isPresent());
    }

    @Override
    public Optional<String> missing() {
        return Optional.empty();
    }

    @Override
    public List<String> start(boolean restart) throws IOException {
        throw new IOException(instructions());
    }

    @Override
    public List<String> stop() throws IOException {
        Optional<ProcessHandle> daemon = WatchProcess.fromState(stateDir);
        if (daemon.isEmpty()) return List.of();
        WatchProcess.stop(daemon.get());
        return List.of("stopped devbox-agent watch (pid " + daemon.get().pid() + ")");
    }

    @Override
    public String diagnose() {
        return "";
    }
}
