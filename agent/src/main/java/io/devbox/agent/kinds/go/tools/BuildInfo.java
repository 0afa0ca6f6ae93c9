package io.devbox.agent.kinds.go.tools;

import java.util.Optional;

/**
 * The build information {@code go version -m FILE} prints: {@code FILE: go1.22.5}, then tab-separated lines
 * {@code path PACKAGE}, {@code mod MODULE VERSION SUM}, {@code dep ...}, {@code build ...}. Parsed defensively: a line
 * of another shape is ignored, a binary built outside a module has the path {@code command-line-arguments} and no
 * {@code mod} line, and a file that is no Go program gives no output on stdout (go says so on stderr, exit code 0).
 */
record BuildInfo(String toolchain, String path, String moduleVersion) {

    static Optional<BuildInfo> parse(String output) {
        String toolchain = null;
        String path = null;
        String version = null;
        for (String line : output.split("\n")) {
            if (toolchain == null && !line.startsWith("\t")) {
                // FILE: go1.22.5, or with experiments FILE: go1.22.5 X:boringcrypto (the version is the first word)
                int colon = line.lastIndexOf(": go");
                if (colon >= 0) toolchain = line.substring(colon + 2).strip().split("\\s+")[0];
                continue;
            }
            String[] f = line.strip().split("\t");
            if (f.length >= 2 && f[0].equals("path")) path = f[1];
            if (f.length >= 3 && f[0].equals("mod")) version = f[2];
        }
        if (toolchain == null || !toolchain.matches("go[0-9][0-9A-Za-z.+-]{0,40}")) return Optional.empty();
        return Optional.of(new BuildInfo(toolchain, path, version));
    }

    /** Longer paths are no module's (Go's own limit on import paths is far below); a plan line shows no more. */
    static final int MAX_PATH = 500;

    /** {@code PACKAGE@VERSION}, or a description of what is missing. */
    String module() {
        if (path == null) return "a Go program without module information";
        if (path.length() > MAX_PATH || (moduleVersion != null && moduleVersion.length() > MAX_PATH)) {
            return "a Go program with an oversized module path";
        }
        return path + "@" + (moduleVersion != null ? moduleVersion : "(devel)");
    }
}
