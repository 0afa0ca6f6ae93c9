package io.devbox.agent.kinds.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What cgroupfs does that a plain directory does not: "+ctrl -ctrl" written to a cgroup.subtree_control edits the
 * list of enabled controllers, and rmdir takes a cgroup's interface files with it. {@link #snapshot()} before a
 * write, {@link #settle()} after it, {@link #beforeRmdir} before a cgroup is removed.
 */
final class FakeCgroupV2Kernel {
    private final Path cg;
    private final Map<Path, Set<String>> before = new HashMap<>();

    FakeCgroupV2Kernel(Path cg) {
        this.cg = cg;
    }

    void snapshot() throws IOException {
        before.clear();
        for (Path f : subtreeControls()) before.put(f, tokens(Files.readString(f)));
    }

    void settle() throws IOException {
        for (Path f : subtreeControls()) {
            String s = Files.readString(f);
            if (!s.contains("+") && !s.contains("-")) continue;
            Set<String> on = new TreeSet<>(before.getOrDefault(f, Set.of()));
            for (String t : s.trim().split("\\s+")) {
                if (t.startsWith("+")) on.add(t.substring(1));
                else if (t.startsWith("-")) on.remove(t.substring(1));
            }
            Files.writeString(f, String.join(" ", on) + "\n");
        }
    }

    /** cgroupfs removes a cgroup's interface files with it: rmdir of a cgroup with no child cgroups succeeds. */
    void beforeRmdir(String cgroupPath) throws IOException {
        Path dir = cg.resolve(cgroupPath).normalize();
        if (!dir.startsWith(cg) || !Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.delete(f);
        }
    }

    /**
     * rmdir of an ancestor that would have no child cgroup left once {@code cgroupPath} goes takes its interface files
     * with it too: they are set aside here, and {@link #restoreKept} puts them back for each ancestor not removed.
     */
    Map<Path, Map<Path, byte[]>> setAsideEmptyingAncestors(String cgroupPath) throws IOException {
        Map<Path, Map<Path, byte[]>> out = new java.util.LinkedHashMap<>();
        Path child = cg.resolve(cgroupPath).normalize();
        for (Path dir = child.getParent(); dir != null && dir.startsWith(cg) && !dir.equals(cg); dir = dir.getParent()) {
            Path keep = child;
            List<Path> subdirs;
            try (Stream<Path> s = Files.list(dir)) {
                subdirs = s.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !p.equals(keep)).toList();
            }
            if (!subdirs.isEmpty()) break;
            Map<Path, byte[]> files = new java.util.LinkedHashMap<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                    files.put(f, Files.readAllBytes(f));
                    Files.delete(f);
                }
            }
            out.put(dir, files);
            child = dir;
        }
        return out;
    }

    void restoreKept(Map<Path, Map<Path, byte[]>> setAside) throws IOException {
        for (var e : setAside.entrySet()) {
            if (!Files.isDirectory(e.getKey())) continue;
            for (var f : e.getValue().entrySet()) Files.write(f.getKey(), f.getValue());
        }
    }

    private static Set<String> tokens(String s) {
        Set<String> out = new TreeSet<>();
        for (String t : s.trim().split("\\s+")) if (!t.isEmpty() && !t.startsWith("+") && !t.startsWith("-")) out.add(t);
        return out;
    }

    private List<Path> subtreeControls() throws IOException {
        if (!Files.isDirectory(cg)) return List.of();
        try (Stream<Path> s = Files.walk(cg)) {
            return s.filter(p -> p.getFileName().toString().equals("cgroup.subtree_control")).toList();
        }
    }
}
