package io.devbox.agent.engine;

import io.devbox.agent.profile.Origin;

/**
 * One field of one resource that differs. {@code from} and {@code to} are normalized values as the kind compares
 * them; {@code null} means absent. {@code origin} is where the desired value came from (null for removals).
 * {@code content} carries the whole text of a file-like field (a unit file, a hook, a script) before and after, when
 * {@code from}/{@code to} only summarize it: plans show a diff of it. It is for people; comparisons use from/to.
 */
public record Change(String resourceId, String field, Layer layer, String from, String to, boolean disruptive,
                     Origin origin, Content content) {

    /** A file's text as it is ({@code before}, null when absent) and as it will be ({@code after}, null when removed). */
    public record Content(String before, String after) {
    }

    public Change {
        if (resourceId == null || field == null || layer == null) throw new IllegalArgumentException("incomplete change");
    }

    public Change(String resourceId, String field, Layer layer, String from, String to, boolean disruptive, Origin origin) {
        this(resourceId, field, layer, from, to, disruptive, origin, null);
    }

    public static Change of(String resourceId, String field, Layer layer, String from, String to, Origin origin) {
        return new Change(resourceId, field, layer, from, to, false, origin, null);
    }

    public Change asDisruptive() {
        return new Change(resourceId, field, layer, from, to, true, origin, content);
    }

    /** This change with the full text of the file before and after, for a diff in plans. */
    public Change withContent(String before, String after) {
        return new Change(resourceId, field, layer, from, to, disruptive, origin, new Content(before, after));
    }

    /** The key under which the applied value of this field is remembered. */
    public String stateKey() {
        return field + "@" + layer.label();
    }
}
