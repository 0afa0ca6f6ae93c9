package io.devbox.agent.engine;

/** A per-resource failure with a reason fit for a person (no stack trace shown). Never stops other resources. */
public class ResourceException extends Exception {
    public ResourceException(String reason) {
        super(reason, null, false, false);
    }

    public ResourceException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
