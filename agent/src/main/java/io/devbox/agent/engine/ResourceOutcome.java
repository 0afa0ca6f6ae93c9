package io.devbox.agent.engine;

import java.time.Instant;
import java.util.List;

/**
 * What an apply did to one resource.
 *
 * @param result    its line after the run: ok and applied, an error, skipped, or as planned when it was left alone
 * @param kind      its kind
 * @param converged the changes applied and confirmed by the verifying probe (what the agent now remembers as applied)
 * @param at        when the resource was finished
 * @param forget    the resource is gone (a verified prune, or one already gone): the agent stops remembering it
 */
public record ResourceOutcome(ResourcePlan result, String kind, List<Change> converged, Instant at, boolean forget) {
    public ResourceOutcome {
        converged = List.copyOf(converged);
    }

    /** A resource the apply did not act on. */
    static ResourceOutcome untouched(ResourcePlan line, String kind, Instant at, boolean forget) {
        return new ResourceOutcome(line, kind, List.of(), at, forget);
    }
}
