package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-tree deletion relative to open directory handles ({@link SecureDirectoryStream}: {@code openat},
 * {@code unlinkat}), never by path and never through a symbolic link: a link is removed, a directory is entered only
 * with {@code O_NOFOLLOW} from the handle of its parent, then taken from its owner (root's, 0700) before it is emptied.
 * A user who swaps a directory for a link in the middle of the deletion (even with {@code renameat2(RENAME_EXCHANGE)})
 * can make a step be retried, never make root delete anything outside the tree: the handle it works in stays on the
 * directory it opened.
 */
public final class FileTrees {
    /** Deeper trees are refused: every level holds one open handle. */
    static final int MAX_DEPTH = 512;
    /** How often one entry is looked at again when it changed between two steps. */
    private static final int ATTEMPTS = 8;

    private FileTrees() {
    }

    /** Deletes {@code path} and, for a directory, everything under it; symlinks are removed, never followed. */
    public static void deleteRecursively(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) throw new IOException("refusing to delete " + abs);
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) return;
        try (SecureDirectoryStream<Path> dir = HandleChain.openAnchor(parent)) {
            deleteEntry(dir, abs.getFileName(), abs.toString());
        }
    }

    /** As {@link #deleteEntry(SecureDirectoryStream, Path, String, UserPrincipal, int)}, from the top of a tree. */
    static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, String shown) throws IOException {
        deleteEntry(dir, name, shown, Files.getOwner(Path.of("/proc/self")), 0);
    }

    /**
     * Deletes the entry {@code name} of the open directory {@code dir} (a whole tree when it is a directory), relative to
     * handles only. {@code shown} names it in errors. Each directory is taken from its owner before it is emptied (made
     * root's and 0700 through its handle), so from then on nobody else can add, rename or swap entries in it.
     * {@code self} is the agent's own user.
     */
    static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, String shown, UserPrincipal self, int depth) throws IOException {
        FileSystemException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            BasicFileAttributes a;
            try {
                a = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            } catch (NoSuchFileException e) {
                return;
            }
            try {
                if (!a.isDirectory()) {
                    dir.deleteFile(name);
                    return;
                }
                if (depth >= MAX_DEPTH) throw new IOException(shown + " is more than " + MAX_DEPTH + " directories deep; not deleting it");
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    takeOver(sub, self);
                    List<Path> names = new ArrayList<>();
                    for (Path p : sub) names.add(p.getFileName());
                    for (Path n : names) deleteEntry(sub, n, shown + "/" + n, self, depth + 1);
                }
                dir.deleteDirectory(name);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (AccessDeniedException e) {
                throw e;
            } catch (FileSystemException e) {
                // a directory where a file was (or the reverse), a link, new entries: the entry changed under us; look again
                last = e;
            }
        }
        throw new IOException("cannot delete " + shown + ": it kept changing while it was deleted (" + ATTEMPTS + " attempts"
                + (last != null ? "; last: " + last.getMessage() : "") + ")");
    }

    /**
     * Makes the open directory root's (when the agent is root) and 0700, through its handle: its former owner can then
     * no longer change its entries while they are deleted, and a read-only directory (0555) of an extracted tree no
     * longer blocks the deletion of its children.
     */
    private static void takeOver(SecureDirectoryStream<Path> dir, UserPrincipal self) throws IOException {
        PosixFileAttributeView view = dir.getFileAttributeView(PosixFileAttributeView.class);
        try {
            view.setOwner(self);
        } catch (IOException e) {
            // not root: the directory stays its owner's, who is the agent's user or cannot be stopped anyway
        }
        view.setPermissions(PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Removes what a killed run left in {@code dir}: every entry (file or directory) whose name starts with
     * {@link AtomicFiles#TEMP_PREFIX}. Returns how many entries it removed.
     */
    public static int removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return 0;
        int removed = 0;
        try (SecureDirectoryStream<Path> s = HandleChain.openAnchor(dir)) {
            List<Path> names = new ArrayList<>();
            for (Path p : s) {
                if (p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) names.add(p.getFileName());
            }
            for (Path n : names) {
                deleteEntry(s, n, dir.resolve(n).toString());
                removed++;
            }
        }
        return removed;
    }
}
