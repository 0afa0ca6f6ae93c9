package io.devbox.agent.engine;

import io.devbox.agent.profile.Origin;

/**
 * One field of one resource that differs. {@code from} and {@code to} are normalized values as the kind compares
 * them; {@code null} means absent. {@code origin} is where the desired value came from (null for removals).
 */
public record Change(String resourceId, String field, Layer layer, String from, String to, boolean disruptive,
                     Origin origin) {

    public Change {
        if (resourceId == null || field == null || layer == null) throw new IllegalArgumentException("incomplete change");
    }

    public static Change of(String resourceId, String field, Layer layer, String from, String to, Origin origin) {
        return new Change(resourceId, field, layer, from, to, false, origin);
    }

    public Change asDisruptive() {
        return new Change(resourceId, field, layer, from, to, true, origin);
    }

    /** The key under which the applied value of this field is remembered. */
    public String stateKey() {
        return field + "@" + layer.label();
    }
}
