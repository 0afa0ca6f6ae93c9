package io.devbox.agent.source;

/** The profiles could not be read from their source (no such repository, ref or path); a user error. */
public final class SourceException extends Exception {
    public SourceException(String message) {
        super(message, null, false, false);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
