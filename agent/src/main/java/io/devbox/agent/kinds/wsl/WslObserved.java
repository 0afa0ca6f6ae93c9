package io.devbox.agent.kinds.wsl;

/**
 * The effective value of a key as WSL reads it (first occurrence, unquoted), or null when absent.
 *
 * @param path the file on this box that was read
 * @param text the whole file as read (null when absent): plans show how the edit changes it
 */
public record WslObserved(String path, String value, String text) {
    public WslObserved(String path, String value) {
        this(path, value, null);
    }
}
