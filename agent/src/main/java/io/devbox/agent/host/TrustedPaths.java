package io.devbox.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a path the agent relies on (its config, its trusted keys, its state directory, its lock directory) can
 * only have been made by root or by the agent's own user. The rule of OpenSSH's StrictModes and of
 * systemd-tmpfiles' "unsafe path transition", walked from {@code /} component by component, symlinks included:
 * every component must be owned by root or by the agent's effective user, and none may be writable by its group or
 * by others, except a directory above the path that has the sticky bit (like {@code /tmp}): there nobody can
 * rename or remove an entry of someone else. A developer who creates {@code /etc/devbox-agent} before the agent
 * does, or plants a symlink in a state directory they can write, is refused here instead of trusted.
 */
public final class TrustedPaths {
    private static final int MAX_SYMLINKS = 40;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISVTX = 01000;

    private TrustedPaths() {
    }

    /** A path that someone other than root or the agent's user could have changed. */
    public static final class Untrusted extends IOException {
        public Untrusted(String message) {
            super(message, null);
        }
    }

    /**
     * When the agent runs as root, throws {@link Untrusted}, naming {@code what} and the offending component, unless
     * {@code path} (which may be missing: then its existing directories are checked) is trusted. An agent that is not
     * root can do no more than its user may, so the rule is not applied (a developer's umask 002 home stays usable).
     */
    public static void require(Path path, String what) throws IOException {
        int euid = effectiveUid();
        if (euid != 0) return;
        Optional<String> p = problem(path, euid);
        if (p.isPresent()) throw new Untrusted(what + " " + path + " is refused: " + p.get());
    }

    /** Why {@code path} is not trusted for a process of effective uid {@code euid}; empty when it is. */
    public static Optional<String> problem(Path path, int euid) throws IOException {
        Path root = path.getFileSystem().getPath("/");
        Deque<String> todo = new ArrayDeque<>();
        for (Path name : path.toAbsolutePath()) todo.addLast(name.toString());
        Optional<String> p = component(root, euid, !todo.isEmpty());
        if (p.isPresent()) return p;
        Path cur = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.equals(".")) continue;
            if (name.equals("..")) {
                // cur is always a real directory (links are expanded below), so its parent is the real '..'
                if (cur.getParent() != null) cur = cur.getParent();
                continue;
            }
            Path next = cur.resolve(name);
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(next, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty(); // what does not exist yet will be made by the agent itself
            }
            int mode = (Integer) attrs.get("mode");
            int uid = (Integer) attrs.get("uid");
            if (uid != 0 && uid != euid) return Optional.of(next + " is owned by " + who(next, uid) + ", not by " + trusted(euid));
            if ((mode & S_IFMT) == S_IFLNK) {
                if (++links > MAX_SYMLINKS) return Optional.of("too many symbolic links under " + next);
                Path target = Files.readSymbolicLink(next);
                Deque<String> expanded = new ArrayDeque<>();
                for (Path t : target) expanded.addLast(t.toString());
                while (!expanded.isEmpty()) todo.addFirst(expanded.removeLast());
                if (target.isAbsolute()) cur = root;
                continue;
            }
            p = component(next, mode, euid, !todo.isEmpty());
            if (p.isPresent()) return p;
            cur = next;
        }
        return Optional.empty();
    }

    private static Optional<String> component(Path dir, int euid, boolean above) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) attrs.get("uid");
        if (uid != 0 && uid != euid) return Optional.of(dir + " is owned by " + who(dir, uid) + ", not by " + trusted(euid));
        return component(dir, (Integer) attrs.get("mode"), euid, above);
    }

    /** The mode rule for one component; {@code above}: a directory on the way to the path, not the path itself. */
    private static Optional<String> component(Path p, int mode, int euid, boolean above) {
        boolean dir = (mode & S_IFMT) == S_IFDIR;
        if (above && !dir) return Optional.of(p + " is not a directory");
        if ((mode & 0022) != 0 && !(above && (mode & S_ISVTX) != 0)) {
            return Optional.of(p + " is writable by " + ((mode & 0002) != 0 ? "every user" : "its group") + " (mode "
                    + String.format("%04o", mode & 07777) + ")");
        }
        return Optional.empty();
    }

    private static String trusted(int euid) {
        return euid == 0 ? "root" : "root or the agent's user (uid " + euid + ")";
    }

    private static String who(Path p, int uid) {
        try {
            String name = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
            return name.equals(Integer.toString(uid)) ? "uid " + uid : name + " (uid " + uid + ")";
        } catch (IOException e) {
            return "uid " + uid;
        }
    }

    /**
     * The effective uid of this process ({@code /proc/self/status}), or 0 / 65534 by user name when unreadable. Read
     * once: a JVM never changes its uid, and every trust check of a run asks.
     */
    public static int effectiveUid() {
        return EffectiveUid.VALUE;
    }

    private static final class EffectiveUid {
        static final int VALUE = read();
    }

    private static int read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // below
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : 65534;
    }
}
