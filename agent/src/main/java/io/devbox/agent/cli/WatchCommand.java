package io.devbox.agent.cli;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.run.GitOptions;
import io.devbox.agent.metrics.MetricsServer;
import io.devbox.agent.watch.Signals;
import io.devbox.agent.watch.WatchLoop;
import io.devbox.agent.watch.WatchSettings;
import io.devbox.agent.watch.Wakeup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

@Command(name = "watch", description = {
        "Keep converging this box: fetch every --interval, correct drift every --drift-interval, cycle at once on SIGHUP "
                + "(which also re-reads the config file) or after a reboot; stop cleanly on SIGTERM/SIGINT (exit 0).",
        "One watch per state directory; the run lock is taken only during a cycle."})
final class WatchCommand implements Callable<Integer> {
    enum Mode { apply, report }

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Run one cycle and exit with its code (0 ok, 1 error; with --mode report 2 when changes are pending).")
    boolean once;

    @Option(names = "--interval", paramLabel = "D", converter = DurationConverter.class,
            description = "How often to fetch the source, jittered by 10% (default 60s; config: interval).")
    Duration interval;

    @Option(names = "--drift-interval", paramLabel = "D", converter = DurationConverter.class,
            description = "How often to probe the box and correct drift when nothing was committed (default 5m; config: driftInterval).")
    Duration driftInterval;

    @Option(names = "--mode", paramLabel = "MODE", description = "apply: converge; report: only plan and record (default apply; config: mode).")
    Mode mode;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT", description = "Also serve /metrics over HTTP here (loopback; config: metrics.address).")
    String metricsAddress;

    @Option(names = "--metrics-allow-remote", description = "Allow a non-loopback --metrics-address (config: metrics.allowRemote).")
    boolean metricsAllowRemote;

    @Option(names = "--boot-id-file", paramLabel = "FILE", hidden = true,
            description = "Where to read the boot id (default /proc/sys/kernel/random/boot_id); for tests.")
    Path bootIdFile;

    @Override
    public Integer call() throws Exception {
        Wakeup wakeup = new Wakeup();
        for (String failed : Signals.install(wakeup)) spec.commandLine().getErr().println("agent: cannot handle " + failed);
        WatchLoop loop = new WatchLoop(this::load, Clock.systemUTC(), wakeup, spec.commandLine().getOut(),
                () -> ThreadLocalRandom.current().nextDouble(), run -> { });
        return loop.run();
    }

    /** The settings: each option given here, else the config file's value, else the default. Re-read on SIGHUP. */
    private WatchLoop.Loaded load() throws IOException {
        AgentConfig config = Sessions.config(parent.common);
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
                    bootIdFile != null ? bootIdFile : WatchSettings.BOOT_ID, at, config.metrics().textfile());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        GitOptions git;
        try {
            git = Sessions.git(parent.common, config);
        } catch (io.devbox.agent.source.SourceException e) {
            throw new IOException(e.getMessage());
        }
        return new WatchLoop.Loaded(settings, () -> Sessions.open(parent.common, config, git));
    }
}
