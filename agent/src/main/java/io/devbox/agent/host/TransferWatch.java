package io.devbox.agent.host;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches one transfer against {@link Downloader.Limits}: a daemon thread checks the byte count a few times a window
 * and, when the transfer missed the deadline or delivered less than the minimum in the last window, closes the
 * stream (which unblocks the reading thread) and remembers why.
 */
final class TransferWatch implements AutoCloseable {
    private final String source;
    private final Downloader.Limits limits;
    private final long deadlineAt;
    private final Closeable stream;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<String> verdict = new AtomicReference<>();
    private final ScheduledExecutorService timer;
    private long windowStart;
    private long windowStartBytes;

    /**
     * @param startNanos when the transfer began ({@link System#nanoTime()}): the deadline counts from there, the
     *                   first rate window from now
     */
    TransferWatch(String source, Downloader.Limits limits, long startNanos, Closeable stream) {
        this.source = source;
        this.limits = limits;
        this.deadlineAt = startNanos + limits.deadline().toNanos();
        this.stream = stream;
        this.windowStart = System.nanoTime();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "download-watchdog");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(20, Math.min(1000, limits.window().toMillis() / 4));
        timer.scheduleAtFixedRate(this::check, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** The reading thread reports the total received so far. */
    void progressed(long total) {
        bytes.set(total);
    }

    /** Why the transfer was aborted, or null while it may go on. */
    String verdict() {
        return verdict.get();
    }

    private void check() {
        long now = System.nanoTime();
        long got = bytes.get();
        String why = null;
        if (now - deadlineAt >= 0) {
            why = "did not finish within " + seconds(limits.deadline()) + " (download deadline) after " + got + " bytes";
        } else if (now - windowStart >= limits.window().toNanos()) {
            long inWindow = got - windowStartBytes;
            if (inWindow == 0) {
                why = "stalled: no data for " + seconds(limits.window());
            } else if (inWindow < limits.minBytesPerWindow()) {
                why = "is too slow: " + inWindow + " bytes in the last " + seconds(limits.window()) + ", less than the minimum of "
                        + limits.minBytesPerWindow() + " (download minBytesPerWindow)";
            } else {
                windowStart = now;
                windowStartBytes = got;
            }
        }
        if (why != null && verdict.compareAndSet(null, why)) {
            try {
                stream.close();
            } catch (IOException | RuntimeException ignored) {
                // closing is best effort: the read fails either way
            }
        }
    }

    /** The failure to report for a transfer that ended with {@code cause} (null when it ended without one). */
    IOException failure(IOException cause) {
        return new IOException("download of " + source + " " + verdict(), cause);
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) return d.toMillis() + " ms";
        if (s % 3600 == 0) return s / 3600 + " h";
        if (s % 60 == 0) return s / 60 + " min";
        return s + " s";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
