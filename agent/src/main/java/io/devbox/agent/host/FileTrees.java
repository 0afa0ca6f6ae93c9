package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whole-tree deletion relative to open directory handles ({@link SecureDirectoryStream}: {@code openat},
 * {@code unlinkat}), never by path and never through a symbolic link: a link is removed, a directory is entered only
 * with {@code O_NOFOLLOW} from the handle of its parent. A user who swaps a directory for a link in the middle of the
 * deletion (even with {@code renameat2(RENAME_EXCHANGE)}) can make a step fail or be retried, never make root delete
 * anything outside the tree: the handle it works in stays on the directory it opened.
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
            deleteEntry(dir, abs.getFileName(), abs.toString(), 0);
        }
    }

    /**
     * Deletes the entry {@code name} of the open directory {@code dir} (a whole tree when it is a directory), relative to
     * handles only. {@code shown} names it in errors.
     */
    static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, String shown, int depth) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            BasicFileAttributes a = lstat(dir, name);
            if (a == null) return;
            if (!a.isDirectory()) {
                try {
                    dir.deleteFile(name);
                    return;
                } catch (NoSuchFileException e) {
                    return;
                } catch (FileSystemException e) {
                    if (same(a, lstat(dir, name))) throw e; // a real failure, not a swap
                    continue; // a directory now: look again
                }
            }
            if (depth >= MAX_DEPTH) throw new IOException(shown + " is more than " + MAX_DEPTH + " directories deep; not deleting it");
            SecureDirectoryStream<Path> sub;
            try {
                sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return;
            } catch (FileSystemException e) {
                if (same(a, lstat(dir, name))) throw e;
                continue; // a link or a file now: look again
            }
            try (sub) {
                makeTraversable(sub);
                List<Path> names = new ArrayList<>();
                for (Path p : sub) names.add(p.getFileName());
                for (Path n : names) deleteEntry(sub, n, shown + "/" + n, depth + 1);
            }
            try {
                dir.deleteDirectory(name);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (DirectoryNotEmptyException e) {
                // entries appeared meanwhile: empty it again
            } catch (FileSystemException e) {
                if (same(a, lstat(dir, name))) throw e;
            }
        }
        throw new IOException("cannot delete " + shown + ": it kept changing while it was deleted (" + ATTEMPTS + " attempts)");
    }

    private static BasicFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The entry is still the file it was (same inode): a failure on it is real, not the effect of a swap. */
    private static boolean same(BasicFileAttributes before, BasicFileAttributes now) {
        return now != null && before.fileKey() != null && before.fileKey().equals(now.fileKey());
    }

    /** A read-only directory (0555) in an extracted tree would otherwise block the deletion of its children. */
    private static void makeTraversable(SecureDirectoryStream<Path> dir) throws IOException {
        PosixFileAttributeView view = dir.getFileAttributeView(PosixFileAttributeView.class);
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        if (perms.containsAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))) return;
        perms.add(PosixFilePermission.OWNER_READ);
        perms.add(PosixFilePermission.OWNER_WRITE);
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        view.setPermissions(perms); // fchmod of the open handle: never of whatever the name points at now
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
                deleteEntry(s, n, dir.resolve(n).toString(), 0);
                removed++;
            }
        }
        return removed;
    }
}
