package io.devbox.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Every file the agent writes goes through here: a temp file in the same directory, fsync, rename over the
 * target, fsync of the directory. A reader sees the old content or the new one, never a torn file.
 */
public final class AtomicFiles {
    /** Prefix of temp files, so that leftovers of a crashed run can be recognised and removed. */
    public static final String TEMP_PREFIX = ".devbox-agent-tmp-";

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, null);
    }

    /** Writes atomically; {@code mode} like "rw-r--r--", or null to keep the target's mode (default 0644). */
    public static void write(Path target, byte[] content, String mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> perms = mode != null ? PosixFilePermissions.fromString(mode) : existingOrDefault(target);
        Path tmp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically", e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes only when the content differs; returns whether it wrote. */
    public static boolean writeIfChanged(Path target, byte[] content, String mode) throws IOException {
        try {
            if (Arrays.equals(Files.readAllBytes(target), content)
                    && (mode == null || Files.getPosixFilePermissions(target).equals(PosixFilePermissions.fromString(mode)))) {
                return false;
            }
        } catch (NoSuchFileException e) {
            // absent: write it
        }
        write(target, content, mode);
        return true;
    }

    /** Removes a file and makes the removal durable. Returns whether there was one. */
    public static boolean delete(Path target) throws IOException {
        boolean existed = Files.deleteIfExists(target);
        if (existed) fsyncDirectory(target.toAbsolutePath().getParent());
        return existed;
    }

    /** Removes temp files left in {@code dir} by a run that was killed mid-write. */
    public static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var s = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static Set<PosixFilePermission> existingOrDefault(Path target) throws IOException {
        try {
            return Files.getPosixFilePermissions(target);
        } catch (NoSuchFileException e) {
            return PosixFilePermissions.fromString("rw-r--r--");
        }
    }
}
