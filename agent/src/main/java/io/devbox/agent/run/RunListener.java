package io.devbox.agent.run;

import io.devbox.agent.report.RunInfo;

import java.io.IOException;
import java.time.Instant;

/**
 * Told of the outcome of every run a session records: the run record ({@link RunRecordWriter}) and the metrics
 * ({@link RunMetrics}) are its listeners. They are told of a finished run at once, the first on the caller's thread
 * and the others on threads of their own, and share nothing. Each takes a run once, as finished or as aborted: one
 * that took it as finished is not told of an abort that another one's failure causes.
 */
interface RunListener {
    /**
     * A run that planned (and maybe applied).
     *
     * @param commit          the commit it planned from
     * @param applies         it was meant to change the box
     * @param activeOverrides how many overrides were active
     */
    record Finished(RunInfo run, Instant start, Instant end, String commit, boolean applies, int activeOverrides) {
    }

    void finished(Finished run) throws IOException;

    /** A run whose profiles were refused: its errors, nothing probed. {@link #aborted} follows. */
    default void rejected(RunInfo run) throws IOException {
    }

    /** A run that ended before its record (or whose profiles were refused). */
    default void aborted(String command, Instant start, Instant end, Exception cause) throws IOException {
    }
}
