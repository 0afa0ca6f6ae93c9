package io.devbox.agent.host;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a path lies with respect to the privilege boundary, as {@link TrustWalk} found it walking from the root.
 */
public sealed interface Territory {

    /**
     * Every component up to the path is owned by root (or the agent's own user) and writable by no one else, or is a
     * root-owned entry of a sticky directory (which only root can rename or remove): only root can change what the path
     * names.
     *
     * @param resolved the path with root's own symbolic links resolved (nothing a user made is in it)
     * @param shared   null, or why the way is not root-only all the way up: it passes a sticky directory others can
     *                 write (e.g. {@code /tmp}); fine for reading and writing root's own files there, not for running
     *                 programs from or installing into
     */
    record RootOnly(Path resolved, String shared) implements Territory {
    }

    /**
     * Something on the way is owned by another user, or writable by group or others: what lies below {@code anchor} is
     * input from that user, to be opened relative to directory handles from {@code anchor}, without following links.
     *
     * @param anchor     the deepest directory on the way that only root controls (its own links resolved)
     * @param below      the names from {@code anchor} down to the path (at least one)
     * @param controller who controls what lies below the anchor
     * @param reason     why, for messages: {@code /home/dev is owned by dev (uid 1001)}
     */
    record UserControlled(Path anchor, List<String> below, Controller controller, String reason) implements Territory {
        public UserControlled {
            below = List.copyOf(below);
            if (below.isEmpty()) throw new IllegalArgumentException("a user-controlled territory needs a path below its anchor");
        }

        /** The path this territory is about. */
        public Path path() {
            Path p = anchor;
            for (String n : below) p = p.resolve(n);
            return p;
        }
    }

    /**
     * The user that controls a tree: the owner of its first component not owned by root, with that component's group.
     * {@code uid} -1 when no single user does (below a root-owned directory that group or others can write); the first
     * entry below it owned by a user then decides.
     *
     * @param name the user's name, or null when the uid has none (or for {@link #ANYONE})
     */
    record Controller(int uid, int gid, String name) {
        public static final Controller ANYONE = new Controller(-1, -1, null);

        /** {@code dev (uid 1001)}, or {@code uid 1001} without a name. */
        public String describe() {
            return name != null ? name + " (uid " + uid + ")" : "uid " + uid;
        }

        public boolean bound() {
            return uid >= 0;
        }
    }
}
