package io.devbox.agent.source;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

import java.io.IOException;

/**
 * Reads blobs of a git tree with a size limit that is checked before anything is loaded: the object's header gives
 * its size ({@link ObjectReader#getObjectSize}), so a 45 MB blob pushed into the profile repository is refused for a
 * few bytes of I/O instead of being inflated into the heap of a watch daemon.
 */
public final class TreeBlobs {
    /** What a profile may refer to ({@code file:} of a unit, a hook script): kilobytes in practice. */
    public static final int MAX_REFERENCED_BYTES = 1 << 20;

    private TreeBlobs() {
    }

    /** A blob over the reader's limit; the message names the file, its size and the limit. */
    public static final class TooLarge extends IOException {
        private final long size;

        TooLarge(String path, long size, long limit) {
            super(path + " is " + size + " bytes, more than the limit of " + limit + " bytes", null);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    /** The size of a blob, from its header only. */
    public static long size(ObjectReader reader, ObjectId blob) throws IOException {
        return reader.getObjectSize(blob, Constants.OBJ_BLOB);
    }

    /** The blob's bytes when it has at most {@code limit} of them, else {@link TooLarge} (nothing loaded). */
    public static byte[] read(ObjectReader reader, ObjectId blob, String path, int limit) throws IOException {
        long size = size(reader, blob);
        if (size > limit) throw new TooLarge(path, size, limit);
        return reader.open(blob, Constants.OBJ_BLOB).getCachedBytes(limit);
    }
}
