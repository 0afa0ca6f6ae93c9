package io.devbox.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * An atomic write into a directory of a user's tree, held open by a {@link HandleChain}: a temp file created relative to
 * the handle ({@code O_CREAT|O_EXCL|O_NOFOLLOW}, 0600), written and fsynced, checked to be still the agent's, handed to
 * the directory's owner ({@code fchown} of the file opened {@code O_NOFOLLOW} relative to the handle), then renamed
 * into place relative to the same handle and the directory fsynced. Nothing goes through a path the user could redirect.
 */
final class HandOver {
    private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Path PROTECTED_HARDLINKS = Path.of("/proc/sys/fs/protected_hardlinks");

    private HandOver() {
    }

    /** Writes {@code content} as entry {@code name} of the chain's innermost directory; {@code where} is its real path. */
    static void write(HandleChain c, TrustedOwners trusted, String name, Path where, byte[] content, String mode) throws IOException {
        SecureDirectoryStream<Path> dir = c.dir();
        PosixFileAttributes existing = c.lstat(name);
        if (existing != null && !existing.isRegularFile()) {
            throw new UnsafePathException(c.shown(where) + " is " + FileChecks.kind(existing)
                    + "; the agent does not replace it in a tree a user controls");
        }
        Set<PosixFilePermission> perms = mode != null ? PosixFilePermissions.fromString(mode)
                : existing != null ? existing.permissions() : DEFAULT_MODE;
        PosixFileAttributes dirAttrs = c.dirAttributes();
        Path tmp = Path.of(AtomicFiles.tempFileName(".tmp"));
        boolean moved = false;
        try {
            try (SeekableByteChannel ch = dir.newByteChannel(tmp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                if (ch instanceof FileChannel fc) fc.force(true);
            }
            PosixFileAttributeView view = dir.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributes mine = view.readAttributes();
            int[] dirIds = c.ids(dirAttrs, c.path());
            int[] mineIds = c.ids(mine, c.path().resolve(tmp));
            boolean ours = trusted.contains(mineIds[0]) || mineIds[0] == dirIds[0];
            if (!mine.isRegularFile() || mine.size() != content.length || !ours) {
                throw new UnsafePathException(c.shown(where) + ": the agent's temp file was replaced while it was written; nothing changed");
            }
            // the directory's owner gets the file (a file system like drvfs may show it as theirs already)
            boolean usersDirectory = !trusted.contains(dirIds[0]);
            if (usersDirectory && mineIds[0] != dirIds[0]) {
                requireProtectedHardlinks(c.shown(where));
                view.setOwner(dirAttrs.owner());
            }
            if (usersDirectory && mineIds[1] != dirIds[1]) view.setGroup(dirAttrs.group());
            view.setPermissions(perms);
            dir.move(tmp, dir, Path.of(name));
            moved = true;
            fsync(dir);
        } finally {
            if (!moved) {
                try {
                    dir.deleteFile(tmp);
                } catch (IOException ignored) {
                    // a temp name: removed as a leftover later
                }
            }
        }
    }

    /**
     * Handing a file to a user through its name is safe only when that user cannot hard-link a file of root's to the
     * name between the agent's check and its fchown: the kernel's fs.protected_hardlinks forbids exactly that.
     */
    private static void requireProtectedHardlinks(String where) throws IOException {
        String v;
        try {
            v = KernelFiles.read(PROTECTED_HARDLINKS).strip();
        } catch (IOException e) {
            v = "unknown";
        }
        if (!v.equals("1")) {
            throw new UnsafePathException("not writing " + where + ": fs.protected_hardlinks is " + v + " on this box, so its owner could"
                    + " make the agent hand a file of root's to them; set fs.protected_hardlinks=1");
        }
    }

    /** fsync of the directory itself, opened relative to its own handle. */
    static void fsync(SecureDirectoryStream<Path> dir) throws IOException {
        try (SeekableByteChannel ch = dir.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            if (ch instanceof FileChannel fc) fc.force(true);
        }
    }
}
