package io.devbox.agent.kinds.hooks;

import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Expands repository globs ({@code /home/dev/src/*}) on the box, under its root. {@code *}, {@code ?} and
 * {@code [...]} match within one path segment; as in a shell, they do not match a leading dot. Symlinked
 * directories are not followed (they could lead out of the root). Only git work trees (a {@code .git} directory or
 * file) are kept.
 */
final class RepoGlobs {
    private RepoGlobs() {
    }

    static boolean hasGlob(String segment) {
        return segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0 || segment.indexOf('[') >= 0;
    }

    /** Box paths of the git work trees matching {@code pattern} (absolute, validated), sorted. */
    static List<String> workTrees(Host host, String pattern) throws IOException {
        for (String seg : pattern.substring(1).split("/")) {
            if (!hasGlob(seg)) continue;
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + seg);
            } catch (java.util.regex.PatternSyntaxException e) {
                // found by fuzzing: an unbalanced [ or { is a profile error (whatever is on the box), not a crash
                throw new IOException("'" + seg + "' is not a valid glob (" + e.getDescription() + ")");
            }
        }
        List<String> dirs = List.of("");
        for (String seg : pattern.substring(1).split("/")) {
            if (seg.isEmpty()) continue;
            List<String> next = new ArrayList<>();
            for (String dir : dirs) {
                if (!hasGlob(seg)) {
                    next.add(dir + "/" + seg);
                    continue;
                }
                Path real = host.path(dir.isEmpty() ? "/" : dir);
                if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) continue;
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + seg);
                try (var s = Files.newDirectoryStream(real)) {
                    for (Path child : s) {
                        String name = child.getFileName().toString();
                        if (name.startsWith(".") && !seg.startsWith(".")) continue;
                        if (m.matches(Path.of(name)) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) next.add(dir + "/" + name);
                    }
                }
            }
            dirs = next;
        }
        TreeSet<String> out = new TreeSet<>();
        for (String d : dirs) {
            Path real = host.path(d.isEmpty() ? "/" : d);
            if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS) && Files.exists(real.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) out.add(d);
        }
        return List.copyOf(out);
    }
}
