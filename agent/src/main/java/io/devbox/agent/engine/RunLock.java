package io.devbox.agent.engine;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.Times;
import io.devbox.agent.host.TrustedPaths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One agent run at a time per state directory: an advisory {@code flock}-style lock that dies with its holder
 * (never a PID file that goes stale). The file's content names the holder, for the loser's message.
 *
 * <p>The lock file is truncated and written by root: it is opened with {@code O_NOFOLLOW} and must be a regular
 * file, and its directory must be trusted ({@link TrustedPaths}), so a symlink planted there never makes root
 * truncate another file.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when the lock stays held past the wait; the message names the holder. */
    public static final class HeldException extends Exception {
        public HeldException(String message) {
            super(message, null, false, false);
        }
    }

    public static RunLock acquire(Path file, String command, Duration wait) throws IOException, HeldException {
        Files.createDirectories(file.getParent());
        TrustedPaths.require(file.getParent(), "the lock directory");
        FileChannel ch = open(file);
        Instant deadline = Instant.now().plus(wait);
        try {
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    String holder = "pid " + ProcessHandle.current().pid() + " (agent " + command + ", since " + Times.iso(Instant.now()) + ")\n";
                    try {
                        // not forced to disk: the line is read only while this process holds the lock (the page
                        // cache shows it at once), and a crash or reboot releases the lock whatever the file says;
                        // an fdatasync here waited for the file system's journal, up to 25 ms of a plan
                        ch.truncate(0);
                        ch.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                    } catch (IOException e) {
                        throw IoErrors.writing(file, e);
                    }
                    return new RunLock(ch, l);
                }
                if (Instant.now().isAfter(deadline)) {
                    String holder = holder(file);
                    ch.close();
                    throw new HeldException("another agent run holds the lock " + file + ": "
                            + (holder.isEmpty() ? "unknown holder" : holder) + "; waited " + wait.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the lock", e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // O_NOFOLLOW on a link fails with ELOOP, which the JDK reports without the file
            if (Files.isSymbolicLink(file)) throw AtomicFiles.symlinkRefused(file);
            throw e;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            ch.close();
            throw new IOException("refusing to use " + file + " as a lock: not a regular file", null);
        }
        return ch;
    }

    /** The holder's line; a winner writes it just after taking the lock, so an empty file is read again briefly. */
    private static String holder(Path file) throws IOException, InterruptedException {
        String holder = "";
        for (int i = 0; i < 20 && holder.isEmpty(); i++) {
            if (i > 0) Thread.sleep(25);
            holder = new String(AtomicFiles.readNoFollow(file, 4096), StandardCharsets.UTF_8).strip();
        }
        return holder;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
