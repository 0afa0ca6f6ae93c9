package io.devbox.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this build is: the project version and the git commit it was built from, written into the jar by
 * {@code agent/bin/build-info} at build time ({@code io/devbox/agent/build.properties}).
 *
 * @param commit the full commit id, or "unknown" (built outside a git checkout, or not by Maven)
 * @param dirty  the checkout had uncommitted changes to tracked files when it was built
 */
record BuildInfo(String version, String commit, boolean dirty) {
    static final String RESOURCE = "io/devbox/agent/build.properties";
    static final BuildInfo UNKNOWN = new BuildInfo("unknown", "unknown", false);

    static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) return UNKNOWN;
            p.load(in);
        } catch (IOException e) {
            return UNKNOWN;
        }
        return new BuildInfo(p.getProperty("version", "unknown"), p.getProperty("commit", "unknown"),
                Boolean.parseBoolean(p.getProperty("dirty", "false")));
    }

    /** The lines of {@code agent version}: the version, the commit, the Java runtime. */
    String[] lines() {
        String built = commit.equals("unknown") ? "unknown (not built from a git checkout)"
                : commit + (dirty ? " (with uncommitted changes)" : "");
        Runtime.Version java = Runtime.version();
        return new String[]{
                "devbox-agent " + version,
                "commit  " + built,
                "java    " + java + " (" + System.getProperty("java.vendor", "?") + ", " + System.getProperty("java.home", "?")
                        + ") on " + System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"),
        };
    }
}
