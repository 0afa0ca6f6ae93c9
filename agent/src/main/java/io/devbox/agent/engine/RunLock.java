package io.devbox.agent.engine;

import io.devbox.agent.host.Times;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One agent run at a time per state directory: an advisory {@code flock}-style lock that dies with its holder
 * (never a PID file that goes stale). The file's content names the holder, for the loser's message.
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
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Instant deadline = Instant.now().plus(wait);
        try {
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    String holder = "pid " + ProcessHandle.current().pid() + " (agent " + command + ", since " + Times.iso(Instant.now()) + ")\n";
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                    ch.force(false);
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

    /** The holder's line; a winner writes it just after taking the lock, so an empty file is read again briefly. */
    private static String holder(Path file) throws IOException, InterruptedException {
        String holder = "";
        for (int i = 0; i < 20 && holder.isEmpty(); i++) {
            if (i > 0) Thread.sleep(25);
            holder = Files.readString(file, StandardCharsets.UTF_8).strip();
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
