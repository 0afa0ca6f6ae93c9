package io.devbox.agent.watch;

import io.devbox.agent.profile.Durations;
import io.devbox.agent.config.ReportPush;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Times;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * When the watch daemon publishes its report (config {@code report.push}), decided after each cycle and on each wake:
 * <ul>
 * <li>{@code on-change}: when a cycle's summary, commit, drift set or errors differ from those of the report last
 *     pushed (remembered in {@code <state>/report-push.json}, so a restart does not push again), and when the last push
 *     is older than the heartbeat;</li>
 * <li>{@code every D}: every D;</li>
 * <li>{@code never}.</li>
 * </ul>
 * A due push waits a random part of the spread (a commit reaches a whole fleet within one interval; so do its reports,
 * not all at once), heartbeats and periods are jittered by ±10%, and a failed push is retried with the source's
 * backoff (doubling, at most 15 minutes). The push itself runs after the cycle's record is written, outside the run
 * lock, within a bounded time; its failure is logged and counted, never a failed cycle.
 */
public final class ReportPublisher {
    /** Pushes the report of the run record {@code runId}; returns what landed, for the log. */
    public interface Pusher {
        String push(String runId) throws Exception;
    }

    /** What happened at a wake: nothing due, or a push that landed or failed (with the log line). */
    public record Outcome(boolean attempted, boolean success, String message) {
        static final Outcome NONE = new Outcome(false, false, null);
    }

    private final Path stateDir;
    private final Clock clock;
    private final DoubleSupplier random;
    private ReportPush policy;
    private Duration interval;
    private ReportPushState last;
    private String pendingKey;
    private Instant changeDueAt;
    private Instant periodicDueAt;
    private Instant retryAt;
    private int failures;

    public ReportPublisher(ReportPush policy, Duration interval, Path stateDir, Clock clock, DoubleSupplier random) {
        this.stateDir = stateDir;
        this.clock = clock;
        this.random = random;
        this.last = ReportPushState.read(stateDir);
        configure(policy, interval);
    }

    /** New settings (start, SIGHUP). */
    public void configure(ReportPush newPolicy, Duration newInterval) {
        boolean changed = !newPolicy.equals(policy);
        policy = newPolicy;
        interval = newInterval;
        if (changed) periodicDueAt = nextPeriodic();
    }

    public ReportPush policy() {
        return policy;
    }

    /** A cycle recorded {@code run}: with on-change, a report differing from the last pushed one becomes due. */
    public void recorded(RunInfo run) {
        if (policy.mode() != ReportPush.Mode.ON_CHANGE) return;
        String key = key(run);
        if (key.equals(last.key())) {
            pendingKey = null;
            changeDueAt = null;
            return;
        }
        if (key.equals(pendingKey) && changeDueAt != null) return;
        pendingKey = key;
        changeDueAt = clock.instant().plusMillis(Math.round(spread().toMillis() * random.getAsDouble()));
    }

    /** When the next push is due (null: none); the loop wakes for it. */
    public Instant nextDue() {
        if (policy.mode() == ReportPush.Mode.NEVER) return null;
        Instant due = changeDueAt;
        if (periodicDueAt != null && (due == null || periodicDueAt.isBefore(due))) due = periodicDueAt;
        if (due != null && retryAt != null && retryAt.isAfter(due)) due = retryAt;
        return due;
    }

    /**
     * Pushes when a push is due: the report of the daemon's latest run {@code runId} whose key is {@code latestKey}
     * (both null when no cycle recorded a run yet: then it waits for one).
     */
    public Outcome pushIfDue(Pusher pusher, String runId, String latestKey) {
        Instant due = nextDue();
        Instant now = clock.instant();
        if (due == null || now.isBefore(due)) return Outcome.NONE;
        if (runId == null || latestKey == null) {
            if (periodicDueAt != null && !now.isBefore(periodicDueAt)) periodicDueAt = now.plus(interval);
            return Outcome.NONE;
        }
        try {
            String what = pusher.push(runId);
            failures = 0;
            retryAt = null;
            last = new ReportPushState(Times.iso(clock.instant()), latestKey, what);
            last.write(stateDir);
            if (latestKey.equals(pendingKey)) {
                pendingKey = null;
                changeDueAt = null;
            }
            periodicDueAt = nextPeriodic();
            return new Outcome(true, true, "report pushed: " + what);
        } catch (Exception e) {
            failures++;
            Duration wait = Schedule.backoff(interval, failures, random.getAsDouble());
            retryAt = clock.instant().plus(wait);
            return new Outcome(true, false, "report push failed (" + failures + " in a row, next try in "
                    + Durations.format(Duration.ofSeconds(wait.toSeconds())) + "): " + e.getMessage());
        }
    }

    /** The key of the report a run makes: its summary, commit, drift set and errors. */
    public static String key(RunInfo run) {
        StringBuilder sb = new StringBuilder();
        var s = run.summary();
        sb.append(s.ok()).append('/').append(s.pending()).append('/').append(s.drift()).append('/').append(s.override())
                .append('/').append(s.skipped()).append('/').append(s.error()).append('\n');
        sb.append(run.source() == null ? "" : run.source().commit()).append('\n');
        sb.append(run.source() == null ? "" : run.source().error()).append('\n');
        TreeSet<String> drift = new TreeSet<>();
        TreeSet<String> errors = new TreeSet<>(run.errors().stream().map(RunError::text).toList());
        for (ResourcePlan r : run.resources()) {
            if (r.status() == Status.DRIFT) drift.add(r.id());
            if (r.status() == Status.ERROR) errors.add(r.id());
        }
        for (List<String> part : List.of(List.copyOf(drift), List.copyOf(errors))) {
            part.forEach(x -> sb.append(x).append('\0'));
            sb.append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next heartbeat (on-change) or period (every D), jittered, counted from the last push (or now). */
    private Instant nextPeriodic() {
        Duration period = switch (policy.mode()) {
            case ON_CHANGE -> policy.heartbeat();
            case EVERY -> policy.every();
            case NEVER -> null;
        };
        if (period == null) return null;
        Instant from = last.pushedAt() != null ? last.pushedAt() : null;
        if (from == null) return policy.mode() == ReportPush.Mode.EVERY ? clock.instant() : clock.instant().plus(Schedule.jittered(period, random.getAsDouble()));
        return from.plus(Schedule.jittered(period, random.getAsDouble()));
    }

    /** How far due on-change pushes are spread: the fetch interval, at most a minute. */
    private Duration spread() {
        Duration minute = Duration.ofMinutes(1);
        return interval.compareTo(minute) < 0 ? interval : minute;
    }
}
