package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The intermediate cgroups the agent created on the way to a declared one ({@code work.slice} for
 * {@code work.slice/jobs}), per hierarchy: they are no resource of their own, so this record is what lets the prune
 * of their last declared child remove them again, and only them. File: {@code <stateDir>/cgroup/made-parents/<h>},
 * one cgroup path per line ({@code <h>} is the v1 controller, or {@code v2}).
 */
final class MadeParents {
    private final Path file;

    MadeParents(Path stateDir, String hierarchy) {
        this.file = stateDir.resolve("cgroup").resolve("made-parents").resolve(hierarchy.isEmpty() ? "v2" : hierarchy);
    }

    /** The ancestors of {@code path} (a cgroup path) that do not exist under {@code root} yet, nearest the root first. */
    static List<String> missing(Path root, String path) {
        List<String> out = new ArrayList<>();
        String[] segs = path.split("/");
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < segs.length - 1; i++) {
            if (p.length() > 0) p.append('/');
            p.append(segs[i]);
            if (!Files.exists(root.resolve(p.toString()))) out.add(p.toString());
        }
        return out;
    }

    void add(List<String> made) throws IOException {
        if (made.isEmpty()) return;
        TreeSet<String> all = read();
        if (all.addAll(made)) write(all);
    }

    /**
     * Removes the ancestors of {@code path} under {@code root} that the agent made and that no other cgroup uses any
     * more, deepest first; one still in use stays (and stays recorded), and one a profile now declares is its own
     * resource (no longer recorded here).
     */
    void removeUnused(Path root, String path, java.util.Set<String> declared) throws IOException {
        TreeSet<String> all = read();
        boolean changed = all.removeAll(declared);
        for (String parent = parentOf(path); parent != null && all.contains(parent); parent = parentOf(parent)) {
            try {
                Files.deleteIfExists(root.resolve(parent));
            } catch (IOException e) {
                break; // another cgroup or a process is in it: it stays, and so do the ones above it
            }
            all.remove(parent);
            changed = true;
        }
        if (changed) write(all);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    private TreeSet<String> read() throws IOException {
        try {
            // root-only: the agent's state directory
            String text = new String(AtomicFiles.readState(file), StandardCharsets.UTF_8);
            TreeSet<String> out = new TreeSet<>();
            for (String line : text.split("\n")) if (!line.isBlank() && CgroupSpecParser.pathProblem(line).isEmpty()) out.add(line);
            return out;
        } catch (NoSuchFileException e) {
            return new TreeSet<>();
        }
    }

    private void write(TreeSet<String> all) throws IOException {
        if (all.isEmpty()) {
            AtomicFiles.delete(file);
            return;
        }
        // root-only: the agent's state directory
        AtomicFiles.write(file, (String.join("\n", all) + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
    }
}
