package io.devbox.agent.run;

import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.Times;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.source.SourceException;
import io.devbox.agent.source.SourceState;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Writes what a run did: its record under {@code <state>/runs} and the metrics. A run whose profiles were refused is
 * recorded too (its errors, nothing probed), so that a watch daemon's history shows why a cycle changed nothing.
 */
final class RunRecorder {
    private final Host host;
    private final Path stateDir;
    private final Supplier<RunRecords> records;
    private final Supplier<AgentMetrics> metrics;
    private final Clock clock;

    RunRecorder(Host host, Path stateDir, Supplier<RunRecords> records, Supplier<AgentMetrics> metrics, Clock clock) {
        this.host = host;
        this.stateDir = stateDir;
        this.records = records;
        this.metrics = metrics;
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
        records.get().write(run);
        AgentMetrics m = metrics.get();
        m.reload();
        if (sourceStateError()) m.sourceFetchError();
        m.runFinished(command, !Session.failed(run), Duration.between(start, end), end, resources, loaded.snapshot().commit(),
                applies && !Session.failed(run), activeOverrides);
        m.write();
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
        try {
            records.get().write(run);
        } catch (IOException | RuntimeException failed) {
            e.addSuppressed(failed);
        }
        aborted(command, start, e);
    }

    /** Counts a run that ended before its record (the lock is held: a run that never got it is no run). */
    void aborted(String command, Instant start, Exception e) {
        try {
            AgentMetrics m = metrics.get();
            m.reload();
            if (e instanceof SourceException) m.sourceFetchError();
            Instant end = clock.instant();
            m.runAborted(command, Duration.between(start, end), end);
            m.write();
        } catch (IOException | RuntimeException metricsFailed) {
            e.addSuppressed(metricsFailed);
        }
    }

    private static String id(Instant start, String command) {
        return RunRecords.idTime(start) + "-" + command + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    /** True when the source state ({@code <state>/source.json}, kept by the remote source) records a fetch error. */
    private boolean sourceStateError() {
        try {
            String error = SourceState.read(stateDir).error();
            return error != null && !error.isBlank();
        } catch (IOException e) {
            return false;
        }
    }
}
