package io.devbox.agent.kinds.go.tools;

import java.util.Optional;

/**
 * The build information {@code go version -m FILE} prints: {@code FILE: go1.22.5}, then tab-separated lines
 * {@code path PACKAGE}, {@code mod MODULE VERSION SUM}, {@code dep ...}, {@code build ...}. Parsed defensively: a line
 * of another shape is ignored, and a binary without module information has no {@code path}.
 */
record BuildInfo(String toolchain, String path, String moduleVersion) {

    static Optional<BuildInfo> parse(String output) {
        String toolchain = null;
        String path = null;
        String version = null;
        for (String line : output.split("\n")) {
            if (toolchain == null && !line.startsWith("\t")) {
                int colon = line.lastIndexOf(": go");
                if (colon >= 0) toolchain = line.substring(colon + 2).strip();
                continue;
            }
            String[] f = line.strip().split("\t");
            if (f.length >= 2 && f[0].equals("path")) path = f[1];
            if (f.length >= 3 && f[0].equals("mod")) version = f[2];
        }
        if (toolchain == null || !toolchain.matches("go[0-9][0-9A-Za-z.+-]{0,40}")) return Optional.empty();
        return Optional.of(new BuildInfo(toolchain, path, version));
    }

    /** {@code PACKAGE@VERSION}, or a description of what is missing. */
    String module() {
        if (path == null) return "a Go program without module information";
        return path + "@" + (moduleVersion != null ? moduleVersion : "(devel)");
    }
}
