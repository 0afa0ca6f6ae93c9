package io.devbox.agent.host;

import java.io.IOException;

/**
 * The agent refused a path in a tree a user controls: a symbolic link it will not follow, an entry owned by someone
 * else than that user, a FIFO or device where a file should be, or a file over its size cap. The message names the
 * path and the reason; nothing was read or changed through it.
 */
public class UnsafePathException extends IOException {
    public UnsafePathException(String message) {
        super(message, null);
    }

    /** A file larger than what the agent reads of its kind. */
    public static final class TooLarge extends UnsafePathException {
        public TooLarge(String shownPath, long size, long cap, String what) {
            super(shownPath + " is " + human(size) + ", more than the " + human(cap) + " " + what + " may have; not reading it");
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        if (bytes >= 1L << 10) return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / (double) (1L << 10));
        return bytes + " bytes";
    }
}
