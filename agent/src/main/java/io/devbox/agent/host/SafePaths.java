package io.devbox.agent.host;

import java.nio.file.Path;
import java.util.Optional;

/** Validation of paths that come from profiles: no {@code ..}, no NUL, no escaping a root. */
public final class SafePaths {
    private SafePaths() {
    }

    /** Why {@code path} is not a safe relative path (one or more plain segments), or empty when it is. */
    public static Optional<String> relativeProblem(String path) {
        if (path == null || path.isEmpty()) return Optional.of("empty path");
        if (path.indexOf('\0') >= 0) return Optional.of("path contains a NUL character");
        if (path.contains("\n") || path.contains("\r")) return Optional.of("path contains a line break");
        if (path.startsWith("/")) return Optional.of("absolute path not allowed here: " + path);
        for (String seg : path.split("/", -1)) {
            if (seg.equals("..")) return Optional.of("path may not contain '..': " + path);
            if (seg.isEmpty() || seg.equals(".")) return Optional.of("path has an empty or '.' segment: " + path);
        }
        return Optional.empty();
    }

    /** Why {@code path} is not a safe absolute path (no {@code ..}, NUL or line breaks), or empty when it is. */
    public static Optional<String> absoluteProblem(String path) {
        if (path == null || !path.startsWith("/")) return Optional.of("must be an absolute path: " + path);
        if (path.equals("/")) return Optional.empty();
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') end--;
        return relativeProblem(path.substring(1, end));
    }

    /** Resolves a validated relative path under {@code base}; throws if the result would leave it. */
    public static Path under(Path base, String relative) {
        relativeProblem(relative).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base.normalize())) throw new IllegalArgumentException("path escapes its root: " + relative);
        return resolved;
    }
}
