package io.devbox.agent.run;

import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.Times;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the {@link RunInfo} of what a run did and tells its {@link RunListener}s (the run record, the metrics). A run
 * whose profiles were refused is recorded too (its errors, nothing probed), so that a watch daemon's history shows why
 * a cycle changed nothing. One recorder records one run.
 */
final class RunRecorder {
    private final Host host;
    private final List<RunListener> listeners;
    private final Clock clock;
    /** The listeners that took this run as finished: a failure after that (another listener's) is not an abort to them. */
    private final Set<RunListener> toldFinished = ConcurrentHashMap.newKeySet();

    RunRecorder(Host host, List<RunListener> listeners, Clock clock) {
        this.host = host;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    /** Records a run that planned (and maybe applied); {@code applies}: it was meant to change the box. */
    RunInfo finished(String command, Instant start, Session.Loaded loaded, List<ResourcePlan> resources, List<RunError> errors,
                     boolean applies, int activeOverrides, List<String> only) throws IOException {
        Instant end = clock.instant();
        List<RunError> all = new ArrayList<>(loaded.problems().stream().map(p -> RunError.of("source: " + p)).toList());
        all.addAll(errors);
        RunInfo run = new RunInfo(id(start, command), command, Times.iso(start), end.toEpochMilli() - start.toEpochMilli(),
                loaded.sourceInfo(), host.facts(), loaded.spec().profileNames(), loaded.profilesDigest(), resources, all,
                only, true);
        RunListener.Finished finished = new RunListener.Finished(run, start, end, loaded.snapshot().commit(), applies, activeOverrides);
        // at once: the record and the metrics are separate files, each a serialisation and an fsynced atomic write, and a
        // plan's second core is otherwise idle here (the record, the longer, on this thread)
        List<Concurrently.Step> steps = new ArrayList<>();
        for (RunListener l : listeners) {
            steps.add(() -> {
                l.finished(finished);
                toldFinished.add(l);
            });
        }
        Concurrently.runAll(steps, "run-listener");
        return run;
    }

    /**
     * Records a run whose profiles were refused: its located errors, no resources (nothing was probed or changed),
     * counted as an aborted run. A failure to write is added to the exception, never hides it.
     *
     * @param source the pinned source, or null when the run failed before pinning one
     */
    void rejected(String command, Instant start, RunInfo.SourceInfo source, ProfileException e, List<String> only) {
        Instant end = clock.instant();
        List<RunError> errors = new ArrayList<>(e.errors().stream().map(RunError::of).toList());
        RunInfo.SourceInfo info = source;
        if (info != null && !e.notes().isEmpty()) {
            List<String> notes = new ArrayList<>(info.notes());
            e.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
            info = new RunInfo.SourceInfo(info.repo(), info.ref(), info.commit(), info.signature(), info.fetchedAt(), info.error(),
                    info.badCommit(), info.badCommitErrors(), notes);
        }
        RunInfo run = new RunInfo(id(start, command), command, Times.iso(start), end.toEpochMilli() - start.toEpochMilli(),
                info, host.facts(), List.of(), null, List.of(), errors, only, false);
        for (RunListener l : listeners) {
            try {
                l.rejected(run);
            } catch (IOException | RuntimeException failed) {
                e.addSuppressed(failed);
            }
        }
        aborted(command, start, e);
    }

    /** Counts a run that ended before its record (the lock is held: a run that never got it is no run). */
    void aborted(String command, Instant start, Exception e) {
        Instant end = clock.instant();
        for (RunListener l : listeners) {
            if (toldFinished.contains(l)) continue;
            try {
                l.aborted(command, start, end, e);
            } catch (IOException | RuntimeException failed) {
                e.addSuppressed(failed);
            }
        }
    }

    private static String id(Instant start, String command) {
        return RunRecords.idTime(start) + "-" + command + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }
}
