package io.devbox.agent.kinds.wsl;

/**
 * The effective value of a key as WSL reads it (first occurrence, unquoted), or null when absent.
 *
 * @param path the file on this box that was read
 */
public record WslObserved(String path, String value) {
}
