package io.devbox.agent.profile;

import java.util.Comparator;

/**
 * One file read from a profile source; {@code path} is relative to the repository root, with '/' separators.
 * A file over {@link #MAX_BYTES} is not read at all: it comes with its {@code size} and empty content, and is refused
 * as a located error by the loader (a 45 MB blob in a commit must not cost 45 MB of heap to refuse).
 */
public record ProfileFile(String path, byte[] content, long size) {
    /**
     * By path. A lambda of the agent's own rather than {@code Comparator.comparing}: the JDK's comparator factories make
     * serializable lambdas, which the class-data archive cannot hold, so every run would generate their classes anew.
     */
    public static final Comparator<ProfileFile> BY_PATH = (a, b) -> a.path().compareTo(b.path());

    /** The largest profile file; a fleet's profiles are a few kilobytes each. */
    public static final int MAX_BYTES = 1 << 20;

    public ProfileFile(String path, byte[] content) {
        this(path, content, content.length);
    }

    /** A file too large to read, known only by its size. */
    public static ProfileFile unread(String path, long size) {
        return new ProfileFile(path, new byte[0], size);
    }

    /** Whether the content was read (false for a file over {@link #MAX_BYTES}). */
    public boolean loaded() {
        return content.length == size;
    }
}
