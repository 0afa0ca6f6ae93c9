package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides who controls a path by walking it from the root, component by component, without following anything a user
 * made: the rule of systemd-tmpfiles' "unsafe path transition", applied to the whole way. A component owned by a user
 * other than root (or the agent's own user), or a directory that group or others can write, makes everything below it
 * that user's input. A sticky directory ({@code /tmp}) is no exception for what users put there: a missing name in it or
 * a user's entry is theirs; only an entry root owns (which the sticky bit keeps others from renaming or removing) stays
 * root's, and even then the way is not "root-only all the way up" ({@link Territory.RootOnly#shared()}). Symbolic links
 * owned by root in root-only directories are root's own and are followed (the walk restarts at their target); any
 * other link ends the walk: what it points at is the user's choice, never followed.
 * <p>
 * Under {@code --root DIR} the walk starts at DIR (the directories above it are the operator's choice), provided DIR
 * itself is root-only; otherwise it starts at {@code /}.
 */
final class TrustWalk {
    private static final int MAX_LINKS = 40;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private final Path boxRoot;
    private final int selfUid;
    private final Function<Path, String> shown;

    /**
     * @param boxRoot the root of the box ({@code /} or the {@code --root} sandbox), absolute
     * @param selfUid the agent's own uid: its files are as trusted as root's
     * @param shown   how paths appear in reasons (box paths under a sandbox)
     */
    TrustWalk(Path boxRoot, int selfUid, Function<Path, String> shown) {
        this.boxRoot = boxRoot.toAbsolutePath().normalize();
        this.selfUid = selfUid;
        this.shown = shown;
    }

    Territory of(Path path) throws IOException {
        Path target = path.toAbsolutePath().normalize();
        for (int links = 0; links <= MAX_LINKS; links++) {
            Step step = walk(target);
            if (step.territory != null) return step.territory;
            target = step.restartAt;
        }
        throw new FileSystemException(shown.apply(path), null, "too many levels of symbolic links");
    }

    private record Step(Territory territory, Path restartAt) {
    }

    private Step walk(Path target) throws IOException {
        Path start = target.startsWith(boxRoot) && rootOnlyDirectory(boxRoot) ? boxRoot : target.getRoot();
        Deque<String> todo = new ArrayDeque<>();
        for (Path n : start.relativize(target)) {
            if (!n.toString().isEmpty()) todo.add(n.toString());
        }
        Path cur = start;
        String sticky = null; // the sticky directory the way passed, if any
        boolean inSticky = false; // cur is a sticky directory others can write
        while (!todo.isEmpty()) {
            String name = todo.pop();
            Path next = cur.resolve(name);
            List<String> rest = new ArrayList<>();
            rest.add(name);
            rest.addAll(todo);
            Map<String, Object> a;
            try {
                a = Files.readAttributes(next, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException | NotDirectoryException e) {
                return new Step(missing(cur, next, rest, todo, inSticky, sticky), null);
            } catch (FileSystemException e) {
                if (e.getReason() != null && e.getReason().contains("Not a directory")) {
                    return new Step(missing(cur, next, rest, todo, inSticky, sticky), null);
                }
                throw e;
            }
            int uid = (Integer) a.get("uid");
            int gid = (Integer) a.get("gid");
            int mode = (Integer) a.get("mode");
            boolean trustedOwner = uid == 0 || uid == selfUid;
            if (!trustedOwner) {
                Territory.Controller c = new Territory.Controller(uid, gid, nameOf(next, uid));
                String what = (mode & S_IFMT) == S_IFLNK ? " is a symbolic link owned by " : " is owned by ";
                return new Step(new Territory.UserControlled(cur, rest, c, shown.apply(next) + what + c.describe()), null);
            }
            if ((mode & S_IFMT) == S_IFLNK) {
                Path link = Files.readSymbolicLink(next);
                return new Step(null, append(cur.resolve(link), todo).normalize());
            }
            if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
                String why = shown.apply(next) + " is writable by " + ((mode & 0002) != 0 ? "others" : "its group")
                        + " (mode " + Integer.toOctalString(mode & 07777) + ")";
                boolean isDir = (mode & S_IFMT) == S_IFDIR;
                // the content of such a file, or the entries of such a directory, are anyone's input
                if (!isDir || todo.isEmpty()) {
                    return new Step(new Territory.UserControlled(cur, rest, Territory.Controller.ANYONE, why), null);
                }
                if ((mode & STICKY) == 0) {
                    return new Step(new Territory.UserControlled(next, List.copyOf(todo), Territory.Controller.ANYONE, why), null);
                }
                sticky = why;
                inSticky = true;
            } else {
                inSticky = false;
            }
            cur = next;
        }
        return new Step(new Territory.RootOnly(cur, sticky), null);
    }

    /** A name that does not exist (yet): root's to create, unless anyone may create it first (a sticky directory). */
    private static Territory missing(Path cur, Path next, List<String> rest, Deque<String> todo, boolean inSticky, String sticky) {
        if (inSticky) return new Territory.UserControlled(cur, rest, Territory.Controller.ANYONE, sticky);
        return new Territory.RootOnly(append(next, todo), sticky);
    }

    private boolean rootOnlyDirectory(Path dir) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        int uid = (Integer) a.get("uid");
        int mode = (Integer) a.get("mode");
        return (uid == 0 || uid == selfUid) && (mode & S_IFMT) == S_IFDIR && (mode & GROUP_OR_OTHER_WRITE) == 0;
    }

    private static Path append(Path p, Iterable<String> names) {
        for (String n : names) p = p.resolve(n);
        return p;
    }

    /** The name of the owner of {@code p} (which had {@code uid} a moment ago), or null when the uid has none. */
    static String nameOf(Path p, int uid) throws IOException {
        String name;
        try {
            name = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (NoSuchFileException e) {
            return null;
        }
        return name.equals(Integer.toString(uid)) ? null : name;
    }
}
