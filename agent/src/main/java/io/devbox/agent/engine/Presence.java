package io.devbox.agent.engine;

import java.util.Map;

/**
 * Whether a desired resource should exist on the box: the one engine-level notion of "absent". Every kind's desired
 * resource says it through {@link DesiredResource#presence()}; {@link Reconciler#removal} returns the {@link Absent}
 * form of a resource no profile lists any more, carrying what the agent last applied to it (by
 * {@link Change#stateKey()}), which is all a kind may undo.
 */
public sealed interface Presence permits Presence.Present, Presence.Absent {

    /** The resource as a profile declares it. */
    Present PRESENT = new Present();

    static Presence present() {
        return PRESENT;
    }

    static Absent absent(Map<String, String> lastApplied) {
        return new Absent(lastApplied);
    }

    default boolean isPresent() {
        return this instanceof Present;
    }

    default boolean isAbsent() {
        return this instanceof Absent;
    }

    record Present() implements Presence {
    }

    /** @param lastApplied the values the agent last applied to the resource, by state key (empty when unknown) */
    record Absent(Map<String, String> lastApplied) implements Presence {
        public Absent {
            lastApplied = Map.copyOf(lastApplied);
        }

        /** The last applied value of {@code field} in {@code layer}, or null. */
        public String applied(String field, Layer layer) {
            return lastApplied.get(Change.stateKey(field, layer));
        }
    }
}
