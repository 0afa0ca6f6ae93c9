package io.devbox.agent.watch;

import io.devbox.agent.engine.RunLock;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.KernelFiles;
import io.devbox.agent.host.Printable;
import io.devbox.agent.host.Times;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.metrics.MetricsServer;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.SourceException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * {@code agent watch}: every interval (jittered) it pins the source's revision, and when that changed, when the
 * drift interval is up, on SIGHUP or after a reboot (a new boot id) it runs a cycle: plan, apply (mode apply), record.
 * Source errors back off exponentially. SIGTERM/SIGINT stop it cleanly after the resource in hand.
 *
 * <p>Locks: the daemon holds {@code <state>/watch.lock} for its whole life (one watch per state directory) but the
 * run lock only during a cycle, so {@code agent plan} or {@code apply} wait at most one cycle, never a sleep.
 *
 * <p>Idle cost: one thread sleeping on a monitor; a tick reads the boot id and pins the revision (a ref lookup and
 * the profile blobs, no parsing or validation); nothing is kept between ticks but a few strings.
 *
 * <p>Over 300 lines because the daemon's timing (intervals, jitter, back-off, signals, reboots) and its locks must be
 * read together to see that no cycle is missed or doubled.
 */
public final class WatchLoop {
    /** How to (re)load the daemon's settings and open sessions: at start and on SIGHUP. */
    public interface Setup {
        Loaded load() throws IOException;
    }

    /** The settings, how to open a session, and how to push a run's report (used when {@code settings.report()} says so). */
    public record Loaded(WatchSettings settings, Supplier<Session> sessions, ReportPublisher.Pusher pusher) {
    }

    private final Setup setup;
    private final Clock clock;
    private final Wakeup wakeup;
    private final PrintWriter log;
    private final DoubleSupplier random;

    public WatchLoop(Setup setup, Clock clock, Wakeup wakeup, PrintWriter log, DoubleSupplier random) {
        this.setup = setup;
        this.clock = clock;
        this.wakeup = wakeup;
        this.log = log;
        this.random = random;
    }

    /** Runs until stopped (exit 0), or one cycle with {@code once} (the run's exit code). */
    public int run() throws IOException {
        Loaded cfg = setup.load();
        Session first = cfg.sessions().get();
        first.state().prepare();
        Path stateDir = first.state().path();
        RunLock watchLock;
        try {
            watchLock = RunLock.acquire(stateDir.resolve("watch.lock"), "watch", Duration.ZERO);
        } catch (RunLock.HeldException e) {
            log("another agent watch is running on " + stateDir + ": " + e.getMessage());
            return 1;
        }
        AgentMetrics metrics = AgentMetrics.load(stateDir, cfg.settings().metricsTextfile());
        MetricsServer server = null;
        try (watchLock) {
            if (cfg.settings().metricsAddress() != null) {
                server = MetricsServer.start(cfg.settings().metricsAddress(), () -> served(metrics));
                log("serving metrics on http://" + hostPort(server) + "/metrics");
            }
            return loop(cfg, stateDir, metrics);
        } finally {
            if (server != null) server.close();
        }
    }

    private int loop(Loaded cfg, Path stateDir, AgentMetrics metrics) throws IOException {
        WatchState remembered = WatchState.read(stateDir);
        String bootId = bootId(cfg.settings().bootIdFile());
        String cycleReason = remembered.bootId() != null && !remembered.bootId().equals(bootId)
                ? "the box restarted (new boot id)" : "start";
        Session.Revision lastRevision = null;
        String lastBootId = remembered.bootId();
        String lastRunId = remembered.lastRunId();
        String lastCycleAt = remembered.lastCycleAt();
        String lastRunKey = null;
        ReportPublisher publisher = new ReportPublisher(cfg.settings().report(), cfg.settings().interval(), stateDir, clock, random);
        Instant nextDrift = clock.instant();
        int failures = 0;
        int exit = 0;
        log("watching (mode " + cfg.settings().mode().name().toLowerCase() + ", interval "
                + io.devbox.agent.profile.Durations.format(cfg.settings().interval()) + ", drift interval "
                + io.devbox.agent.profile.Durations.format(cfg.settings().driftInterval()) + ", report push "
                + cfg.settings().report().describe() + ", state " + stateDir + ")");
        while (!wakeup.stopRequested()) {
            WatchSettings s = cfg.settings();
            if (cycleReason == null && wakeup.takeCycleRequest()) {
                cycleReason = "SIGHUP";
                try {
                    cfg = reload(cfg);
                    s = cfg.settings();
                    publisher.configure(s.report(), s.interval());
                } catch (IOException e) {
                    log("config not reloaded, keeping the previous settings: " + IoErrors.describe(e));
                }
            }
            bootId = bootId(s.bootIdFile());
            if (cycleReason == null && lastBootId != null && !lastBootId.equals(bootId)) cycleReason = "the box restarted (new boot id)";
            if (cycleReason == null && !clock.instant().isBefore(nextDrift)) cycleReason = "drift check";
            Session session = cfg.sessions().get().useMetrics(metrics);
            if (cycleReason == null) {
                try {
                    Session.Revision now = session.revision();
                    if (failures > 0) log("source reachable again");
                    failures = 0;
                    if (!now.equals(lastRevision)) cycleReason = "new revision " + shortCommit(now.commit());
                } catch (SourceException e) {
                    failures++;
                    log("source error (" + failures + " in a row): " + e.getMessage());
                    countFetchError(session, metrics);
                }
            }
            if (cycleReason != null) {
                Instant started = clock.instant();
                Cycle c = cycle(session, s, cycleReason);
                exit = c.exit;
                if (c.retry) {
                    cycleReason = "retry";
                } else {
                    cycleReason = null;
                    nextDrift = started.plus(s.driftInterval());
                    lastBootId = bootId;
                    lastCycleAt = Times.iso(started);
                    if (c.run != null) {
                        lastRunId = c.run.id();
                        lastRunKey = ReportPublisher.key(c.run);
                        publisher.recorded(c.run);
                        lastRevision = new Session.Revision(c.run.source() == null ? null : c.run.source().commit(), c.run.profilesDigest());
                    } else if (c.revision != null) {
                        lastRevision = c.revision;
                    }
                }
                if (c.sourceError) failures++;
                else if (c.run != null) failures = 0;
                writeState(stateDir, lastBootId, lastRevision, lastCycleAt, lastRunId, null, null);
                // The daemon idles for minutes between cycles: a full collection now lets the serial collector give
                // the cycle's garbage back to the system (the launcher caps free heap at 30%), not hold it until the
                // next cycle. A few milliseconds for a heap of a few megabytes, once a cycle.
                if (!s.once()) System.gc();
            }
            if (s.once()) {
                return exit;
            }
            publish(publisher, cfg.pusher(), session, metrics, lastRunId, lastRunKey);
            Duration delay = Schedule.backoff(s.interval(), failures, random.getAsDouble());
            Duration untilDrift = Duration.between(clock.instant(), nextDrift);
            if (untilDrift.compareTo(delay) < 0) delay = untilDrift.isNegative() ? Duration.ZERO : untilDrift;
            Instant pushDue = publisher.nextDue();
            if (pushDue != null) {
                Duration untilPush = Duration.between(clock.instant(), pushDue);
                if (untilPush.compareTo(delay) < 0) delay = untilPush.isNegative() ? Duration.ZERO : untilPush;
            }
            if (cycleReason != null && delay.compareTo(s.interval()) > 0) delay = s.interval();
            try {
                wakeup.await(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                wakeup.requestStop("interrupted");
            }
        }
        String why = wakeup.stopReason();
        writeState(stateDir, lastBootId, lastRevision, lastCycleAt, lastRunId, Times.iso(clock.instant()), why);
        log("stopped (" + why + ")");
        return 0;
    }

    /** One cycle's outcome; {@code retry} when it could not run at all (the lock was held) and should soon again. */
    private record Cycle(int exit, RunInfo run, Session.Revision revision, boolean retry, boolean sourceError) {
    }

    private Cycle cycle(Session session, WatchSettings s, String reason) {
        try {
            RunInfo run;
            int applied = 0;
            if (s.mode() == WatchSettings.Mode.APPLY) {
                Session.ApplyResult r = session.apply("watch", Set.of(), java.util.Optional.empty(), wakeup::stopRequested, false);
                run = r.run();
                applied = r.applied();
            } else {
                run = session.plan("watch", Set.of());
            }
            var sum = run.summary();
            log("cycle (" + reason + "): " + (s.mode() == WatchSettings.Mode.APPLY ? "applied " + applied : "planned")
                    + " at " + (run.source() == null ? "?" : shortCommit(run.source().commit())) + ": " + sum.ok() + " ok, "
                    + sum.changePending() + " change, " + sum.drift() + " drift, " + sum.override() + " override, "
                    + sum.skipped() + " skipped, " + sum.error() + " error (" + run.durationMillis() + " ms, run " + run.id() + ")");
            for (var e : run.errors()) log("  error: " + e.render());
            run.resources().stream().filter(r -> r.status() == Status.ERROR)
                    .forEach(r -> log("  x " + r.id() + ": " + r.reason()));
            int exit = Session.failed(run) ? 1 : s.mode() == WatchSettings.Mode.REPORT && sum.pending() > 0 ? 2 : 0;
            return new Cycle(exit, run, null, false, false);
        } catch (RunLock.HeldException e) {
            log("cycle (" + reason + ") postponed: " + e.getMessage());
            return new Cycle(1, null, null, true, false);
        } catch (ProfileException e) {
            log("cycle (" + reason + "): the profiles are invalid; nothing was changed (recorded):");
            e.errors().forEach(err -> log("  " + err.render()));
            e.notes().forEach(n -> log("  note: " + n));
            Session.Revision rev = null;
            try {
                rev = session.revision();
            } catch (SourceException ignored) {
                // the next tick reports it
            }
            return new Cycle(1, null, rev, false, false);
        } catch (SourceException e) {
            log("cycle (" + reason + "): source error: " + e.getMessage());
            return new Cycle(1, null, null, false, true);
        } catch (Exception e) {
            log("cycle (" + reason + ") failed: " + (e instanceof IOException io ? IoErrors.describe(io) : e.toString()));
            return new Cycle(1, null, null, false, false);
        }
    }

    private Loaded reload(Loaded previous) throws IOException {
        Loaded next = setup.load();
        if (!java.util.Objects.equals(next.settings().metricsAddress(), previous.settings().metricsAddress())) {
            log("the metrics address changes only on restart");
        }
        log("config reloaded");
        return next;
    }

    /**
     * Publishes the report when it is due: after the cycle's record is written and outside the run lock; the pusher
     * bounds its time, and a failure is logged and counted, never a failed cycle.
     */
    private void publish(ReportPublisher publisher, ReportPublisher.Pusher pusher, Session session, AgentMetrics metrics,
                         String runId, String runKey) {
        ReportPublisher.Outcome o = publisher.pushIfDue(pusher, runId, runKey);
        if (!o.attempted()) return;
        log(o.message());
        count(session, metrics, m -> m.reportPushed(o.success()));
    }

    private void countFetchError(Session session, AgentMetrics metrics) {
        count(session, metrics, AgentMetrics::sourceFetchError);
    }

    private static void count(Session session, AgentMetrics metrics, Consumer<AgentMetrics> update) {
        try (RunLock ignored = RunLock.acquire(session.state().resolve("lock"), "watch", Duration.ofSeconds(1))) {
            metrics.reload();
            update.accept(metrics);
            metrics.write();
        } catch (IOException | RunLock.HeldException e) {
            // the count is an aid; a busy lock or a full disk must not stop the daemon
        }
    }

    /** What the HTTP endpoint serves: the textfile as last written (by this daemon or a one-off run), else the registry. */
    private static String served(AgentMetrics metrics) {
        try {
            return new String(AtomicFiles.readState(metrics.textfile()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return metrics.exposition();
        }
    }

    private void writeState(Path stateDir, String bootId, Session.Revision rev, String lastCycleAt, String lastRunId,
                            String stoppedAt, String stopReason) {
        try {
            new WatchState(bootId, rev == null ? null : rev.commit(), rev == null ? null : rev.profilesDigest(), lastCycleAt,
                    lastRunId, stoppedAt, stopReason, ProcessHandle.current().pid()).write(stateDir);
        } catch (IOException e) {
            log("cannot write the watch state: " + IoErrors.describe(e));
        }
    }

    static String bootId(Path file) {
        try {
            return KernelFiles.read(file).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String shortCommit(String c) {
        return c == null ? "working tree" : c.substring(0, Math.min(7, c.length()));
    }

    private static String hostPort(MetricsServer server) {
        var a = server.boundAddress();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void log(String message) {
        synchronized (log) {
            // one line per message: a value inside (a reason, a path, a source error) cannot start a line of its own
            log.println(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "  " + Printable.escape(message));
            log.flush();
        }
    }
}
