package io.devbox.agent.source;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.profile.ProfileFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which profile files of a work tree differ from the committed ones a run read: a person who edits a profile and
 * runs {@code agent plan} gets the committed tree, and must be told so. Compares the files under the profiles path
 * byte for byte (a few kB; no index, no git status), reading nothing else of the work tree.
 */
public final class UncommittedProfiles {
    /** At most this many file names are listed; the rest are counted. */
    static final int LISTED = 5;

    private UncommittedProfiles() {
    }

    /**
     * The profile files that differ, as {@code profiles/a.yaml (modified)}, {@code (not committed)} or {@code (deleted)},
     * sorted; empty when the work tree has what was committed (or cannot be read: this is advice, not a check).
     *
     * @param profilesPath the profiles directory relative to the work tree ("" for the top)
     */
    public static List<String> list(Path workTree, String profilesPath, List<ProfileFile> committed) {
        Map<String, ProfileFile> byPath = new HashMap<>();
        for (ProfileFile f : committed) byPath.put(f.path(), f);
        TreeSet<String> out = new TreeSet<>();
        Path dir = profilesPath.isEmpty() ? workTree : workTree.resolve(profilesPath);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (!ProfilePaths.isProfile(p.getFileName().toString())) continue;
                String rel = workTree.relativize(p).toString();
                if (rel.startsWith(".git/") || rel.contains("/.git/")) continue;
                ProfileFile was = byPath.remove(rel);
                if (was == null) out.add(rel + " (not committed)");
                else if (differs(p, was)) out.add(rel + " (modified)");
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        for (String gone : byPath.keySet()) out.add(gone + " (deleted)");
        return new ArrayList<>(out);
    }

    /**
     * Whether the work tree's file differs from the committed one. The work tree may be a developer's and the agent
     * root: sizes are compared first, and only a file within the profile limit is read, without following a link
     * ({@link AtomicFiles#readNoFollow}); files over the limit (never loaded from the commit either) compare by size.
     */
    private static boolean differs(Path file, ProfileFile committed) throws IOException {
        long size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        if (size != committed.size()) return true;
        if (!committed.loaded() || size > ProfileFile.MAX_BYTES) return false;
        return !Arrays.equals(committed.content(), AtomicFiles.readNoFollow(file, ProfileFile.MAX_BYTES));
    }

    /** The note a plan shows, or null when nothing differs. */
    public static String note(List<String> changed, String profilesPath, String shortCommit) {
        if (changed.isEmpty()) return null;
        String files = String.join(", ", changed.subList(0, Math.min(LISTED, changed.size())))
                + (changed.size() > LISTED ? " and " + (changed.size() - LISTED) + " more" : "");
        return "the working tree has uncommitted changes under " + (profilesPath.isEmpty() ? "the repository" : profilesPath + "/")
                + " (" + files + "); this run read the committed tree at " + shortCommit
                + ": commit them, or add --worktree to use the files as they are on disk";
    }
}
