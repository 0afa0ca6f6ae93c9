package io.devbox.agent.enrol;

import io.devbox.agent.host.KernelFiles;
import io.devbox.agent.watch.WatchState;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running {@code devbox-agent watch}, found by a pid (its pid file, or the pid it records in watch.json) and
 * recognised by its command line, so that a reused pid of another program is never signalled.
 */
final class WatchProcess {
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private WatchProcess() {
    }

    /** The live watch process with this pid, if that is what runs under it. */
    static Optional<ProcessHandle> find(long pid) {
        if (pid <= 0) return Optional.empty();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> {
            String cmd = p.info().commandLine().orElse("");
            return cmd.contains("devbox-agent") && cmd.contains(" watch");
        });
    }

    /** The watch whose pid a pid file holds. */
    static Optional<ProcessHandle> fromPidFile(Path pidFile) {
        try {
            String s = KernelFiles.read(pidFile).strip();
            return s.matches("[0-9]{1,10}") ? find(Long.parseLong(s)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The watch that last recorded a cycle in this state directory, if it still runs. */
    static Optional<ProcessHandle> fromState(Path stateDir) {
        return find(WatchState.read(stateDir).pid());
    }

    /** SIGTERM (the daemon finishes the resource in hand and writes its state), then waits for it to exit. */
    static void stop(ProcessHandle p) throws IOException {
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("devbox-agent watch (pid " + p.pid() + ") did not stop within "
                    + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
        } catch (ExecutionException e) {
            throw new IOException("waiting for devbox-agent watch (pid " + p.pid() + ") to stop: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for devbox-agent watch (pid " + p.pid() + ") to stop");
        }
    }
}
