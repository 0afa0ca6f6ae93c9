package io.devbox.agent.kinds.runner;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names, paths and file contents of the runner kind on the box. */
public final class RunnerLayout {
    public static final String DEFAULT_MIRROR = "https://github.com/actions/runner/releases/download/";
    public static final String DEFAULT_INSTALL_DIR = "/opt/actions-runner";
    /** GitHub refuses runners older than this (2026). */
    public static final String MINIMUM_VERSION = "2.329.0";
    /** Written by the agent into an install directory, last, before it is renamed into place. */
    public static final String MARKER = ".devbox-agent-installed";
    /** What an upgrade in place carries over from the old directory: the registration, its settings and the work. */
    public static final List<String> KEPT = List.of(".runner", ".credentials", ".credentials_rsaparams", ".env", ".path",
            ".service", "_work", "_diag");
    static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})");

    private RunnerLayout() {
    }

    /** The runner's name for the JVM's architecture: x64, arm64, arm. */
    public static String arch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            default -> a;
        };
    }

    /** {@code actions-runner-linux-x64-2.330.0.tar.gz} */
    public static String tarball(String version) {
        return "actions-runner-linux-" + arch() + "-" + version + ".tar.gz";
    }

    /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b} (both x.y.z). */
    public static int compareVersions(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) return Integer.compare(x[i], y[i]);
        }
        return 0;
    }

    private static int[] parts(String v) {
        Matcher m = VERSION.matcher(v);
        if (!m.matches()) throw new IllegalArgumentException("not a runner version: " + v);
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    /**
     * The unit svc.sh would install: {@code actions.runner.<owner>-<repo>.<name>.service} (for an organisation URL
     * {@code actions.runner.<org>.<name>.service}); characters systemd does not allow in a unit name become '-'.
     */
    public static String unitName(String url, String runnerName) {
        List<String> segments = new ArrayList<>();
        for (String s : URI.create(url).getPath().split("/")) {
            if (!s.isEmpty()) segments.add(s);
        }
        String scope = String.join("-", segments);
        return "actions.runner." + sanitize(scope) + "." + sanitize(runnerName) + ".service";
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9:_.-]", "-");
    }

    /** The unit file, as svc.sh's template writes it, plus Restart=always (the agent, not svc.sh, owns the unit). */
    public static String unitContent(String url, String runnerName, String installDir, String user) {
        return "# Managed by devbox-agent (kind runner): GitHub Actions runner " + runnerName + " for " + url + ". Do not edit.\n"
                + "[Unit]\n"
                + "Description=GitHub Actions Runner (" + runnerName + " for " + url + ")\n"
                + "After=network-online.target\n"
                + "Wants=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "ExecStart=" + installDir + "/runsvc.sh\n"
                + "User=" + user + "\n"
                + "WorkingDirectory=" + installDir + "\n"
                + "KillMode=process\n"
                + "KillSignal=SIGTERM\n"
                + "TimeoutStopSec=5min\n"
                + "Restart=always\n"
                + "RestartSec=15s\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /** Labels as the agent compares and passes them: sorted, without duplicates, joined by commas. */
    public static String labels(List<String> labels) {
        return String.join(",", new java.util.TreeSet<>(labels));
    }

    /** A URL without a trailing slash, as .runner stores GitHubUrl. */
    public static String normalizeUrl(String url) {
        return url == null ? null : url.replaceAll("/+$", "");
    }
}
