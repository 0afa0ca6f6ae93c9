package io.devbox.agent.kinds.hooks;

import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Expands repository globs ({@code /home/dev/src/*}) on the box, under its root. {@code *}, {@code ?} and
 * {@code [...]} match within one path segment; as in a shell, they do not match a leading dot. Symlinked
 * directories are not followed (they could lead out of the root); directories are listed through {@link BoxFs}, so a
 * developer's home is read relative to directory handles. Only git work trees (a {@code .git} directory or file) are
 * kept.
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
        BoxFs fs = host.fs();
        TreeSet<String> out = new TreeSet<>();
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
                if (!isDirectory(fs, real, dir, out)) continue;
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + seg);
                for (BoxFs.Entry child : fs.list(real)) {
                    String name = child.name();
                    if (name.startsWith(".") && !seg.startsWith(".")) continue;
                    if (m.matches(Path.of(name)) && child.kind() == BoxFs.Entry.Kind.DIRECTORY) next.add(dir + "/" + name);
                }
            }
            dirs = next;
        }
        for (String d : dirs) {
            Path real = host.path(d.isEmpty() ? "/" : d);
            if (isDirectory(fs, real, d, out) && fs.stat(real.resolve(".git")).isPresent()) out.add(d);
        }
        return List.copyOf(out);
    }

    /**
     * A directory to look into; absent or a plain file: no. A link a user made where a directory is expected (their
     * {@code ~/src} linked elsewhere) is not followed by root; it is kept as a "work tree" of its own, so that its hook
     * resources report the link instead of the glob silently matching nothing.
     */
    private static boolean isDirectory(BoxFs fs, Path real, String boxPath, TreeSet<String> out) throws IOException {
        var e = fs.stat(real);
        if (e.isPresent() && e.get().kind() == BoxFs.Entry.Kind.SYMLINK && fs.userControl(real).isPresent() && !boxPath.isEmpty()) {
            out.add(boxPath);
        }
        return e.isPresent() && e.get().kind() == BoxFs.Entry.Kind.DIRECTORY;
    }
}
