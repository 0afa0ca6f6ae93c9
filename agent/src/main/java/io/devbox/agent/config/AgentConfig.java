package io.devbox.agent.config;

import io.devbox.agent.host.Downloader;
import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.GitOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent config file ({@code /etc/devbox-agent/agent.yaml}): every field optional (null when absent). Command-line
 * options win over it; {@link #overlay} is the one place where the two meet.
 *
 * @param file   where it was read from, or null when there is none
 * @param report when {@code agent watch} publishes the box's report (never unless configured)
 */
public record AgentConfig(Path file, String repo, String ref, String path, Duration interval, Duration driftInterval,
                          String mode, Verify verify, Map<String, String> labels, String hostname, String user,
                          Path stateDir, History history, Metrics metrics, Download download, ReportPush report) {
    public static final Path DEFAULT_FILE = Path.of("/etc/devbox-agent/agent.yaml");
    public static final AgentConfig NONE = new AgentConfig(null, null, null, null, null, null, null, Verify.NONE, Map.of(),
            null, null, null, History.NONE, Metrics.NONE, Download.NONE, ReportPush.NEVER);

    public AgentConfig {
        labels = Map.copyOf(labels);
        if (download == null) download = Download.NONE;
        if (report == null) report = ReportPush.NEVER;
    }

    /** A config without download settings and without a {@code report} section (publishing off). */
    public AgentConfig(Path file, String repo, String ref, String path, Duration interval, Duration driftInterval,
                       String mode, Verify verify, Map<String, String> labels, String hostname, String user,
                       Path stateDir, History history, Metrics metrics) {
        this(file, repo, ref, path, interval, driftInterval, mode, verify, labels, hostname, user, stateDir, history,
                metrics, Download.NONE, ReportPush.NEVER);
    }

    /** Commit verification settings; the source half of the agent turns them into its options. */
    public record Verify(Boolean commits, Path allowedSigners, Path gpgKeys, Boolean requireFastForward) {
        public static final Verify NONE = new Verify(null, null, null, null);
    }

    /** Run record retention: both limits apply. */
    public record History(Integer keep, Duration maxAge) {
        public static final History NONE = new History(null, null);
    }

    public record Metrics(Path textfile, String address, Boolean allowRemote) {
        public static final Metrics NONE = new Metrics(null, null, null);
    }

    /** Limits of every download (Go toolchains, runner packages); null fields take {@link Downloader.Limits#DEFAULT}'s. */
    public record Download(Duration deadline, Duration rateWindow, Long minBytesPerWindow) {
        public static final Download NONE = new Download(null, null, null);
    }

    /** The download limits with the defaults filled in. */
    public Downloader.Limits downloadLimits() {
        Downloader.Limits d = Downloader.Limits.DEFAULT;
        return new Downloader.Limits(first(download.deadline(), d.deadline()), first(download.rateWindow(), d.window()),
                first(download.minBytesPerWindow(), d.minBytesPerWindow()));
    }

    /**
     * The effective git trust settings: the command line's, else the config's {@code verify}. Trusted keys from either
     * place turn verification on: unsigned commits are never silently accepted when keys are configured.
     */
    public GitOptions overlay(GitOptions cli) {
        Path signers = cli.allowedSigners() != null ? cli.allowedSigners() : verify.allowedSigners();
        Path gpg = cli.gpgKeys() != null ? cli.gpgKeys() : verify.gpgKeys();
        boolean verifyCommits = cli.verifyCommits() || Boolean.TRUE.equals(verify.commits()) || signers != null || gpg != null;
        boolean fastForward = cli.requireFastForward() || Boolean.TRUE.equals(verify.requireFastForward());
        return new GitOptions(verifyCommits, signers, gpg, fastForward, cli.fetchTimeout());
    }

    /** The effective options: each option given on the command line, else the config's value, else the default. */
    public AgentOptions overlay(AgentOptions cli) {
        Map<String, String> labels = new LinkedHashMap<>(this.labels);
        labels.putAll(cli.labels());
        return new AgentOptions(first(cli.repo(), repo), first(cli.ref(), ref), first(cli.path(), path), cli.worktree(),
                cli.root(), first(cli.stateDir(), stateDir), cli.sysctlDir(), cli.cgroupDir(),
                first(cli.hostname(), hostname), labels, first(cli.user(), user), cli.lockWait(), cli.workingDir());
    }

    /** Run record retention with the defaults filled in. */
    public io.devbox.agent.report.RunRecords.Retention retention() {
        var d = io.devbox.agent.report.RunRecords.Retention.DEFAULT;
        return new io.devbox.agent.report.RunRecords.Retention(history.keep() != null ? history.keep() : d.keep(),
                history.maxAge() != null ? history.maxAge() : d.maxAge());
    }

    static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
