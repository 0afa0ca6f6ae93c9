package io.devbox.agent.enrol;

import io.devbox.agent.report.RunRecords;
import io.devbox.agent.watch.WatchState;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The daemon's first cycle after {@code enroll} (re)started it: the daemon records every cycle in
 * {@code <state>/watch.json} (when, and the run record it wrote), so the cycle is the first one recorded after
 * {@code before}.
 */
public final class FirstCycle {
    private static final long POLL_MILLIS = 250;
    private static final long CHECK_ALIVE_MILLIS = 2000;

    private final Path stateDir;
    private final WatchState before;

    /** Remembers the daemon's last cycle; call before starting it. */
    public FirstCycle(Path stateDir) {
        this.stateDir = stateDir;
        this.before = WatchState.read(stateDir);
    }

    /** The run record of the daemon's latest cycle (before anything was started: the last one), if it wrote one. */
    public Optional<JsonNode> lastRun() throws IOException {
        return run(before.lastRunId());
    }

    /**
     * Waits for the first cycle and returns its run record; fails (with the daemon's last log lines) when the daemon
     * stops first, when the cycle recorded no run (e.g. the profiles turned invalid, the source failed), or after
     * {@code timeout}.
     */
    public JsonNode await(Loop loop, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextAliveCheck = System.nanoTime() + CHECK_ALIVE_MILLIS * 1_000_000;
        while (true) {
            WatchState now = WatchState.read(stateDir);
            if (now.lastCycleAt() != null && !now.lastCycleAt().equals(before.lastCycleAt())) {
                if (now.lastRunId() == null || now.lastRunId().equals(before.lastRunId())) {
                    throw new IOException("the agent's first cycle failed before it planned anything; " + loop.diagnose());
                }
                Optional<JsonNode> run = run(now.lastRunId());
                if (run.isEmpty()) throw new IOException("the first cycle's run record " + now.lastRunId() + " is missing");
                return run.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no cycle finished within " + timeout.toSeconds() + " s; " + loop.diagnose());
            }
            if (System.nanoTime() > nextAliveCheck) {
                if (!loop.state().running()) {
                    throw new IOException("the agent stopped before its first cycle finished; " + loop.diagnose());
                }
                nextAliveCheck = System.nanoTime() + CHECK_ALIVE_MILLIS * 1_000_000;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private Optional<JsonNode> run(String id) throws IOException {
        if (id == null) return Optional.empty();
        return new RunRecords(stateDir.resolve("runs")).read(id);
    }

    /** True when a run record shows errors (of the run or of a resource). */
    public static boolean failed(JsonNode run) {
        return !run.path("errors").isEmpty() || run.path("summary").path("error").asInt() > 0;
    }
}
