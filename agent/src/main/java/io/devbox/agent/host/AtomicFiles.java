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
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every file the agent writes goes through here: a temp file in the same directory, fsync, rename over the
 * target, fsync of the directory. A reader sees the old content or the new one, never a torn file.
 */
public final class AtomicFiles {
    /** Prefix of temp files, so that leftovers of a crashed run can be recognised and removed. */
    public static final String TEMP_PREFIX = ".devbox-agent-tmp-";
    /** Temp names carry the writer's pid ({@code .devbox-agent-tmp-p<pid>-...}): a leftover of a dead writer is stale. */
    private static final String OWNER = "p" + ProcessHandle.current().pid() + "-";
    private static final Pattern WITH_PID = Pattern.compile(Pattern.quote(TEMP_PREFIX) + "p([0-9]{1,10})-.*");
    /** A temp file in another format (older agents, tools) counts as a leftover once it is this old. */
    private static final Duration LEGACY_AGE = Duration.ofMinutes(10);

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
        // what a killed run left in this directory goes before the next write into it
        removeLeftovers(dir);
        Path tmp = createTemp(dir, ".tmp");
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

    /** A new empty temp file in {@code dir}, named so that {@link #removeLeftovers} knows its writer. */
    public static Path createTemp(Path dir, String suffix) throws IOException {
        // Files.createTempFile would seed a SecureRandom: tens of milliseconds of a short run, for names that need
        // only be unique in this directory (CREATE_NEW guarantees it).
        for (int attempt = 0; ; attempt++) {
            Path candidate = dir.resolve(TEMP_PREFIX + OWNER + uniquePart() + suffix);
            try {
                return Files.createFile(candidate, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    private static String uniquePart() {
        return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    }

    /** A fresh temp name in {@code dir} (for symlinks and directories renamed into place). */
    public static Path tempName(Path dir, String what) {
        return dir.resolve(TEMP_PREFIX + OWNER + what + "-" + uniquePart());
    }

    /**
     * Removes temp files left in {@code dir} by a run that was killed mid-write: those of a writer that is no longer
     * running, and those of unknown writers older than {@link #LEGACY_AGE}. Temp files of live writers (another
     * thread of this agent) are kept. Directories are left to their owners (see {@link FileTrees}).
     */
    public static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        List<Path> stale = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : s) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(p)) continue;
                if (isStale(p)) stale.add(p);
            }
        }
        for (Path p : stale) Files.deleteIfExists(p);
    }

    private static boolean isStale(Path p) throws IOException {
        try {
            return isStale(p.getFileName().toString(), Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** A temp file of a writer that is no longer running, or of an unknown writer and older than {@link #LEGACY_AGE}. */
    static boolean isStale(String name, FileTime modified) {
        Matcher m = WITH_PID.matcher(name);
        if (m.matches()) {
            long pid = Long.parseLong(m.group(1));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        }
        return modified.toInstant().isBefore(Instant.now().minus(LEGACY_AGE));
    }

    /** A fresh temp file name (no directory) for this writer. */
    static String tempFileName(String suffix) {
        return TEMP_PREFIX + OWNER + uniquePart() + suffix;
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
