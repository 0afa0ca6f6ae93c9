package io.devbox.agent.engine;

/** The box lacks the mechanism this resource needs (no systemd, not WSL, ...): reported as {@code skipped}. */
public final class ResourceSkipped extends ResourceException {
    public ResourceSkipped(String reason) {
        super(reason);
    }
}
