package io.devbox.agent.source;

import io.devbox.agent.host.SafePaths;

/** Which files under the profiles path are profiles. */
public final class ProfilePaths {
    private ProfilePaths() {
    }

    public static boolean isProfile(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Validates and normalizes the {@code --path} option (relative to the repository root, "" for the root). */
    public static String normalize(String path) throws SourceException {
        String p = path == null ? "" : path.strip().replaceAll("/+$", "").replaceAll("^\\./", "");
        if (p.isEmpty() || p.equals(".")) return "";
        var problem = SafePaths.relativeProblem(p);
        if (problem.isPresent()) throw new SourceException("--path: " + problem.get());
        return p;
    }
}
