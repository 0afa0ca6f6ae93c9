package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.host.Host;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A session's planners, each with fresh reconcilers: one for a run, or one that only checks profiles. */
final class Planners {
    private final KindRegistry kinds;
    private final Host host;

    Planners(KindRegistry kinds, Host host) {
        this.kinds = kinds;
        this.host = host;
    }

    /** For the kinds' own checks of profiles and their declared ids: nothing applied, no overrides. */
    Planner checker() {
        return forRun(AppliedState.empty(), List.of(), id -> Optional.empty());
    }

    /**
     * @param selectorPrunes for a resource to prune, why (when the cause is this box's changed identity)
     */
    Planner forRun(AppliedState applied, List<Overrides.Entry> activeOverrides, Function<String, Optional<String>> selectorPrunes) {
        return new Planner(kinds.newRun(), host, applied, Overrides.lookup(activeOverrides), selectorPrunes);
    }
}
