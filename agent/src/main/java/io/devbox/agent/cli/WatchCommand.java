package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.fleet.ReportPusher;
import io.devbox.agent.run.Session;
import tools.jackson.databind.JsonNode;
import io.devbox.agent.run.GitOptions;
import io.devbox.agent.metrics.MetricsServer;
import io.devbox.agent.watch.Signals;
import io.devbox.agent.watch.WatchLoop;
import io.devbox.agent.watch.WatchSettings;
import io.devbox.agent.watch.Wakeup;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

final class WatchCommand implements Callable<Integer> {
    /** How long the daemon's report push may take, retries included: the next tick waits at most this long. */
    static final int PUSH_SECONDS = 30;

    enum Mode { apply, report }

    private final CommonOptions common;
    private CommandSpec spec;
    private boolean once;
    private Duration interval;
    private Duration driftInterval;
    private Mode mode;
    private String metricsAddress;
    private boolean metricsAllowRemote;
    private Path bootIdFile;

    private WatchCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        WatchCommand c = new WatchCommand(common);
        c.spec = Specs.command(c, "watch",
                        "Keep converging this box: fetch every --interval, correct drift every --drift-interval, cycle at "
                                + "once on SIGHUP (which also re-reads the config file) or after a reboot; stop cleanly on "
                                + "SIGTERM/SIGINT (exit 0).",
                        "One watch per state directory; the run lock is taken only during a cycle.")
                .flag("--once", "Run one cycle and exit with its code (0 ok, 1 error; with --mode report 2 when changes "
                        + "are pending).", v -> c.once = v)
                .option(Specs.option("--interval", "How often to fetch the source, jittered by 10%% (default 60s; config: "
                        + "interval).", Duration.class).paramLabel("D").converters(new DurationConverter(Duration.ofMillis(100), null)),
                        c.interval, v -> c.interval = v)
                .option(Specs.option("--drift-interval", "How often to probe the box and correct drift when nothing was "
                        + "committed (default 5m; config: driftInterval).", Duration.class).paramLabel("D")
                        .converters(new DurationConverter(Duration.ofMillis(100), null)), c.driftInterval, v -> c.driftInterval = v)
                .option("--mode", "MODE", Mode.class, "apply: converge; report: only plan and record (default apply; "
                        + "config: mode).", v -> c.mode = v)
                .option(Specs.option("--metrics-address", "Also serve /metrics over HTTP here (loopback; config: "
                        + "metrics.address).", String.class).paramLabel("HOST:PORT").converters(new Inputs.Address()),
                        c.metricsAddress, v -> c.metricsAddress = v)
                .flag("--metrics-allow-remote", "Allow a non-loopback --metrics-address (config: metrics.allowRemote).",
                        v -> c.metricsAllowRemote = v)
                .option(Specs.option("--boot-id-file", "Where to read the boot id (default "
                        + "/proc/sys/kernel/random/boot_id); for tests.", Path.class).paramLabel("FILE").hidden(true),
                        c.bootIdFile, v -> c.bootIdFile = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Wakeup wakeup = new Wakeup();
        for (String failed : Signals.install(wakeup)) spec.commandLine().getErr().println("agent: cannot handle " + Printable.escape(failed));
        WatchLoop loop = new WatchLoop(this::load, Clock.systemUTC(), wakeup, spec.commandLine().getOut(),
                () -> ThreadLocalRandom.current().nextDouble());
        return loop.run();
    }

    /** The settings: each option given here, else the config file's value, else the default. Re-read on SIGHUP. */
    private WatchLoop.Loaded load() throws IOException {
        AgentConfig config = Sessions.config(common);
        Duration i = interval != null ? interval : config.interval() != null ? config.interval() : WatchSettings.DEFAULT_INTERVAL;
        Duration d = driftInterval != null ? driftInterval
                : config.driftInterval() != null ? config.driftInterval() : WatchSettings.DEFAULT_DRIFT_INTERVAL;
        String m = mode != null ? mode.name() : config.mode() != null ? config.mode() : "apply";
        String address = metricsAddress != null ? metricsAddress : config.metrics().address();
        boolean remote = metricsAllowRemote || Boolean.TRUE.equals(config.metrics().allowRemote());
        InetSocketAddress at;
        WatchSettings settings;
        try {
            at = address == null ? null : MetricsServer.address(address, remote);
            settings = new WatchSettings(i, d, WatchSettings.Mode.valueOf(m.toUpperCase(Locale.ROOT)), once,
                    bootIdFile != null ? bootIdFile : WatchSettings.BOOT_ID, at, config.metrics().textfile(), config.report());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        GitOptions git;
        try {
            git = Sessions.git(common, config);
        } catch (io.devbox.agent.source.SourceException e) {
            throw new IOException(e.getMessage());
        }
        return new WatchLoop.Loaded(settings, () -> Sessions.open(common, config, git), runId -> pushReport(config, git, runId));
    }

    /** Pushes the report of the daemon's run {@code runId}, in {@value #PUSH_SECONDS} s at most. */
    private String pushReport(AgentConfig config, GitOptions git, String runId) throws Exception {
        Session session = Sessions.open(common, config, git);
        JsonNode record = session.runRecords().read(runId)
                .orElseThrow(() -> new IOException("the run record " + runId + " is gone"));
        ReportPusher.Pushed p = ReportCommand.pusher(common, config, session, Duration.ofSeconds(PUSH_SECONDS))
                .push(session.host().facts().hostname(), session.identity().labels(), ReportCommand.activeOverrides(session), record, ReportCommand.version());
        return p.ref() + " at " + p.commit().substring(0, 7) + " in " + p.where() + (p.attempts() > 1 ? " (" + p.attempts() + " attempts)" : "");
    }
}
