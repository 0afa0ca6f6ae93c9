package io.devbox.agent.engine;

import java.util.Objects;

/**
 * An unexpected {@link RuntimeException} out of a kind's probe, diff, apply or finish: a bug in the agent, not a
 * state of the box. The resource is reported as an "internal error" (its plan line says so, other resources go on);
 * the stack trace is kept here for {@code --debug}, never shown otherwise.
 *
 * @param resourceId the resource being handled, or null for a kind's batched {@code finish}
 * @param kind       the kind whose code threw
 * @param during     what the engine was doing: {@code probe}, {@code apply}, {@code verify}, {@code finish}
 */
public record InternalFault(String resourceId, String kind, String during, RuntimeException error) {
    public InternalFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(during, "during");
        Objects.requireNonNull(error, "error");
    }

    /** What a plan line or run error says of it. */
    public String reason() {
        return reasonOf(error);
    }

    /**
     * The reason a person sees for a failure out of a kind: a {@link ResourceException}'s own message, or "internal
     * error: " and the exception's type and message for anything else.
     */
    public static String reasonOf(Exception e) {
        if (e instanceof ResourceException) return e.getMessage();
        return "internal error: " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }
}
