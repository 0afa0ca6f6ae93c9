package io.devbox.agent.engine;

import io.devbox.agent.profile.Origin;

import java.util.Objects;

/**
 * One field of one resource that differs: the kind's typed {@link Operation} for resource {@code resourceId}.
 * Everything a person sees (field, layer, from, to, the content diff) is derived from the operation; {@code from} and
 * {@code to} are normalized values as the kind compares them, {@code null} meaning absent. {@code origin} is where the
 * desired value came from (null for removals).
 */
public record Change(String resourceId, Origin origin, Operation op) {

    /** A file's text as it is ({@code before}, null when absent) and as it will be ({@code after}, null when removed). */
    public record Content(String before, String after) {
    }

    public Change {
        if (resourceId == null || op == null || op.field() == null || op.layer() == null) {
            throw new IllegalArgumentException("incomplete change");
        }
    }

    public static Change of(String resourceId, Origin origin, Operation op) {
        return new Change(resourceId, origin, Objects.requireNonNull(op));
    }

    public String field() {
        return op.field();
    }

    public Layer layer() {
        return op.layer();
    }

    public String from() {
        return op.from();
    }

    public String to() {
        return op.to();
    }

    public boolean disruptive() {
        return op.disruptive();
    }

    public Content content() {
        return op.content();
    }

    /** The key under which the applied value of this field is remembered (the applied-state file's format). */
    public String stateKey() {
        return stateKey(field(), layer());
    }

    /** The key of {@code field} in {@code layer}, as {@link #stateKey()} makes it: for reading the applied state. */
    public static String stateKey(String field, Layer layer) {
        return field + "@" + layer.label();
    }
}
