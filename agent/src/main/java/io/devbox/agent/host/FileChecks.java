package io.devbox.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.attribute.PosixFileAttributes;

/** What every read of a box file checks: a regular file, not over its cap, read up to cap + 1 bytes and never whole. */
final class FileChecks {
    private FileChecks() {
    }

    /** Refuses anything but a regular file, and a file whose size is over {@code cap}. */
    static void requireRegular(PosixFileAttributes a, String shown, long cap, String what) throws IOException {
        if (!a.isRegularFile()) throw new UnsafePathException(shown + " is " + kind(a) + ", not a regular file; not reading it");
        if (a.size() > cap) throw new UnsafePathException.TooLarge(shown, a.size(), cap, what);
    }

    /** Reads the channel to its end, but at most {@code cap} bytes: a file that grew past it is refused. */
    static byte[] readCapped(SeekableByteChannel ch, String shown, long cap, String what) throws IOException {
        int limit = (int) Math.min(cap + 1, Integer.MAX_VALUE - 8);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(limit, Math.max(ch.size() + 1, 1)));
        while (true) {
            if (!buf.hasRemaining()) {
                if (buf.capacity() >= limit) break;
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) buf.capacity() * 2, limit));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            if (ch.read(buf) < 0) break;
        }
        if (buf.position() > cap) throw new UnsafePathException.TooLarge(shown, Math.max(ch.size(), buf.position()), cap, what);
        byte[] out = new byte[buf.position()];
        buf.flip();
        buf.get(out);
        return out;
    }

    /** What an entry is, for messages. */
    static String kind(PosixFileAttributes a) {
        if (a.isSymbolicLink()) return "a symbolic link";
        if (a.isDirectory()) return "a directory";
        if (a.isOther()) return "a FIFO, socket or device";
        return "a regular file";
    }
}
