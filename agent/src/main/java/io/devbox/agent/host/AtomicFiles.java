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
 *
 * <p>No link is followed at the last component: the temp file is created exclusively ({@code O_CREAT|O_EXCL}) and
 * opened with {@code O_NOFOLLOW}, the rename replaces a symlink at the target instead of writing through it, and a
 * symlink's mode is never taken over. {@link #readNoFollow} reads the agent's own files the same way, size-capped.
 * A failed write names the file (the JDK's "No space left on device" does not).
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
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            } catch (IOException e) {
                throw IoErrors.writing(target, e);
            }
            Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(perms);
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

    /** Writes only when the content differs (a symlink at the target always differs); returns whether it wrote. */
    public static boolean writeIfChanged(Path target, byte[] content, String mode) throws IOException {
        try {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && content.length <= MAX_COMPARE
                    && Arrays.equals(readNoFollow(target, MAX_COMPARE), content)
                    && (mode == null || Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS)
                    .equals(PosixFilePermissions.fromString(mode)))) {
                return false;
            }
        } catch (NoSuchFileException | TooLarge e) {
            // absent, or too large to be what we would write: write it
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
        // a name filter, not a glob: the JDK compiles a glob into a regex on every call, and every write calls this
        try (var s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(TEMP_PREFIX))) {
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
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) return Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            // gone meanwhile: the default
        }
        return PosixFilePermissions.fromString("rw-r--r--");
    }

    /** A file larger than the reader's limit. */
    public static final class TooLarge extends IOException {
        public TooLarge(String message) {
            super(message, null);
        }
    }

    /** Files compared by {@link #writeIfChanged} before writing: what the agent writes is far smaller. */
    private static final long MAX_COMPARE = 64L << 20;

    /**
     * The content of {@code file}, which must be a regular file and not a symbolic link (the agent's own files: a
     * link there was planted, and following it would read, or report, someone else's file). At most
     * {@code maxBytes}, else {@link TooLarge}. {@link NoSuchFileException} when it does not exist.
     */
    public static byte[] readNoFollow(Path file, long maxBytes) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
                java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) throw symlinkRefused(file);
        if (!a.isRegularFile()) throw new IOException("refusing to read " + file + ": not a regular file", null);
        try (var ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return readAll(file, ch, maxBytes);
        } catch (IOException e) {
            // O_NOFOLLOW on a link fails with ELOOP, which the JDK reports without the file
            if (Files.isSymbolicLink(file)) throw symlinkRefused(file);
            throw e;
        }
    }

    /** A symlink where the agent keeps a file of its own: someone planted it, so it is neither read nor written through. */
    public static IOException symlinkRefused(Path file) {
        return new IOException("refusing to follow the symbolic link " + file + ": the agent opens its own files without "
                + "following links (remove it)", null);
    }

    /** The largest file of its own state the agent reads (applied.json of 10,000 resources is a few megabytes). */
    public static final long MAX_STATE_BYTES = 64L << 20;

    /** A file of the agent's own state: {@link #readNoFollow} with {@link #MAX_STATE_BYTES}. */
    public static byte[] readState(Path file) throws IOException {
        return readNoFollow(file, MAX_STATE_BYTES);
    }

    /** The content of {@code file} (links followed), at most {@code maxBytes}, else {@link TooLarge}. */
    public static byte[] readCapped(Path file, long maxBytes) throws IOException {
        try (var ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            return readAll(file, ch, maxBytes);
        }
    }

    private static byte[] readAll(Path file, java.nio.channels.SeekableByteChannel ch, long maxBytes) throws IOException {
        long size = ch.size();
        if (size > maxBytes) throw new TooLarge(file + " is " + size + " bytes, more than the limit of " + maxBytes);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.max(size, 0));
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        while (ch.read(buf) > 0) {
            total += buf.position();
            if (total > maxBytes) throw new TooLarge(file + " is more than the limit of " + maxBytes + " bytes");
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return out.toByteArray();
    }
}
