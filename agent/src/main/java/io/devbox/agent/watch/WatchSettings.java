package io.devbox.agent.watch;

import io.devbox.agent.config.ReportPush;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code agent watch} runs, after the config file and the command line.
 *
 * @param bootIdFile     where the kernel's boot id is read (a changed one means the box restarted)
 * @param metricsAddress where to serve /metrics, or null
 * @param metricsTextfile where to write the textfile, or null for {@code <state>/metrics.prom}
 * @param report         when to publish the box's report
 */
public record WatchSettings(Duration interval, Duration driftInterval, Mode mode, boolean once, Path bootIdFile,
                           InetSocketAddress metricsAddress, Path metricsTextfile, ReportPush report) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DRIFT_INTERVAL = Duration.ofMinutes(5);
    public static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    public enum Mode { APPLY, REPORT }

    public WatchSettings {
        if (interval.toMillis() < 100) throw new IllegalArgumentException("--interval must be at least 100ms");
        if (driftInterval.toMillis() < 100) throw new IllegalArgumentException("--drift-interval must be at least 100ms");
        if (report == null) report = ReportPush.NEVER;
    }
}
