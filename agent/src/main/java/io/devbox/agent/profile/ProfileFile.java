package io.devbox.agent.profile;

/** One file read from a profile source; {@code path} is relative to the repository root, with '/' separators. */
public record ProfileFile(String path, byte[] content) {
}
