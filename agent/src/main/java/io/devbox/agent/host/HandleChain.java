package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Directory handles opened one below the other, from the root-only anchor of a {@link Territory.UserControlled} down
 * into the user's tree: each level with {@code O_NOFOLLOW} relative to the one above ({@link SecureDirectoryStream}),
 * its owner checked against the tree's controller. A user who swaps a directory for a link between two steps makes a
 * step fail; a handle, once open, stays on the directory it was opened on wherever that is moved.
 */
final class HandleChain implements AutoCloseable {
    /** Creates a missing directory (a real path whose parent is the innermost handle) as the tree's controller. */
    @FunctionalInterface
    interface Maker {
        void mkdir(Path real, Territory.Controller as) throws IOException;
    }

    private final Deque<SecureDirectoryStream<Path>> handles = new ArrayDeque<>();
    private final TrustedOwners trusted;
    private final Function<Path, String> shown;
    private final String reason;
    private Territory.Controller controller;
    private Path path;

    private HandleChain(Territory.UserControlled t, TrustedOwners trusted, Function<Path, String> shown) {
        this.trusted = trusted;
        this.shown = shown;
        this.controller = t.controller();
        this.reason = t.reason();
        this.path = t.anchor();
    }

    /**
     * Opens the anchor and the first {@code depth} names below it. A missing directory is made by {@code maker} (null:
     * {@link NoSuchFileException}).
     */
    static HandleChain open(Territory.UserControlled t, int depth, TrustedOwners trusted, Function<Path, String> shown, Maker maker)
            throws IOException {
        HandleChain c = new HandleChain(t, trusted, shown);
        try {
            c.handles.push(openAnchor(t.anchor()));
            List<String> below = t.below();
            for (int i = 0; i < depth; i++) c.descend(below.get(i), maker);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static SecureDirectoryStream<Path> openAnchor(Path dir) throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
        if (ds instanceof SecureDirectoryStream<Path> s) return s;
        ds.close();
        throw new IOException("this platform cannot open files relative to directory handles; refusing to work under " + dir);
    }

    private void descend(String name, Maker maker) throws IOException {
        Path child = path.resolve(name);
        PosixFileAttributes a = lstat(name);
        if (a == null) {
            if (maker == null) throw new NoSuchFileException(shown.apply(child));
            maker.mkdir(child, controller);
            a = lstat(name);
            if (a == null) throw new UnsafePathException(shown.apply(child) + " vanished right after it was created");
        }
        if (a.isSymbolicLink()) throw notFollowed(child);
        if (!a.isDirectory()) throw new UnsafePathException(shown.apply(child) + " is not a directory");
        checkOwner(a, child);
        SecureDirectoryStream<Path> sub;
        try {
            sub = dir().newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            throw new UnsafePathException(shown.apply(child) + " changed while it was opened (" + e.getReason() + ")");
        }
        handles.push(sub);
        path = child;
        PosixFileAttributes opened = dirAttributes();
        if (!opened.fileKey().equals(a.fileKey())) throw new UnsafePathException(shown.apply(child) + " was replaced while it was opened");
    }

    /** The innermost directory. */
    SecureDirectoryStream<Path> dir() {
        return handles.peek();
    }

    /** The real path of the innermost directory, for messages and for the controller's own tools. */
    Path path() {
        return path;
    }

    Territory.Controller controller() {
        return controller;
    }

    /** Attributes of the innermost directory itself (fstat of its handle). */
    PosixFileAttributes dirAttributes() throws IOException {
        return dir().getFileAttributeView(PosixFileAttributeView.class).readAttributes();
    }

    /** Attributes of an entry of the innermost directory, not following a link; null when there is none. */
    PosixFileAttributes lstat(String name) throws IOException {
        try {
            return dir().getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Accepts an entry owned by the tree's controller; in a tree no single user controls yet, root's entries too, and
     * the first user's entry makes that user the controller. Anything else is an unsafe path transition.
     */
    void checkOwner(PosixFileAttributes a, Path where) throws IOException {
        int[] ids = ids(a, where);
        if (controller.bound()) {
            if (ids[0] == controller.uid()) return;
            throw new UnsafePathException(shown.apply(where) + " is owned by " + new Territory.Controller(ids[0], ids[1],
                    TrustWalk.nameOf(where, ids[0])).describe() + ", not by " + controller.describe() + " who controls the tree ("
                    + reason + "); the agent does not use it");
        }
        if (trusted.contains(ids[0])) return;
        controller = new Territory.Controller(ids[0], ids[1], TrustWalk.nameOf(where, ids[0]));
    }

    /**
     * The owner's uid and gid of the entry whose attributes {@code a} were read through a handle. Handles only give the
     * owner as a principal (a passwd lookup each time); the ids come from an lstat of its path instead, and count only
     * when that lstat found the very same inode: a swapped entry is refused, not misjudged.
     */
    int[] ids(PosixFileAttributes a, Path where) throws IOException {
        java.util.Map<String, Object> m;
        try {
            m = Files.readAttributes(where, "unix:uid,gid,fileKey", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new UnsafePathException(shown.apply(where) + " changed while it was checked");
        }
        if (a.fileKey() == null || !a.fileKey().equals(m.get("fileKey"))) {
            throw new UnsafePathException(shown.apply(where) + " changed while it was checked");
        }
        return new int[]{(Integer) m.get("uid"), (Integer) m.get("gid")};
    }

    UnsafePathException notFollowed(Path link) {
        return new UnsafePathException(shown.apply(link) + " is a symbolic link; the agent (root) does not follow links in a tree a user"
                + " controls (" + reason + ")");
    }

    String shown(Path p) {
        return shown.apply(p);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        while (!handles.isEmpty()) {
            try {
                handles.pop().close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
