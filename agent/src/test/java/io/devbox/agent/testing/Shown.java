package io.devbox.agent.testing;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.profile.Origin;

/**
 * Test support: an operation that is only its display text, for tests of what renders or records changes (plans,
 * JSON, the applied state) without a kind at hand. No reconciler accepts it.
 */
public record Shown(String field, Layer layer, String from, String to, Change.Content content) implements Operation {

    public static Change change(String resourceId, String field, Layer layer, String from, String to, Origin origin) {
        return Change.of(resourceId, origin, new Shown(field, layer, from, to, null));
    }

    /** {@code c} with the whole text before and after, for a diff in plans. */
    public static Change withContent(Change c, String before, String after) {
        return Change.of(c.resourceId(), c.origin(), new Shown(c.field(), c.layer(), c.from(), c.to(), new Change.Content(before, after)));
    }
}
