package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileLoader;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which prunes of a run are caused by this box's hostname or labels having changed since the last apply
 * ({@link AppliedIdentity}) rather than by the profiles: those the profiles, composed for the box as it was, still
 * declare. Their reason names the change ({@code labels changed: ci=runner missing}); apply makes them only with
 * {@code --allow-prune}.
 */
final class SelectorPrunes implements Function<String, Optional<String>> {
    private static final SelectorPrunes NONE = new SelectorPrunes(null, Set.of());

    private final String change;
    /** What the profiles declare for the box as it was; null when that cannot be told (then every prune counts). */
    private final Set<String> declaredBefore;

    private SelectorPrunes(String change, Set<String> declaredBefore) {
        this.change = change;
        this.declaredBefore = declaredBefore;
    }

    static SelectorPrunes of(Path stateDir, HostIdentity now, Session.Loaded loaded, AppliedState applied, ProfileLoader loader,
                             Supplier<Planner> planner, Host host) {
        Optional<AppliedIdentity> last = AppliedIdentity.read(stateDir);
        if (last.isEmpty() || applied.resources().isEmpty() || loaded.profiles() == null) return NONE;
        Optional<String> change = last.get().changeTo(AppliedIdentity.of(now));
        if (change.isEmpty()) return NONE;
        Set<String> before;
        try {
            HostIdentity was = last.get().asHost(now);
            ComposedSpec spec = loader.compose(loaded.profiles(), was, loaded.snapshot().files());
            before = planner.get().declaredIds(new DesiredContext(was, spec, host));
        } catch (ProfileException e) {
            // the profiles do not compose for the box as it was: refusing every prune is the safe side
            before = null;
        }
        return new SelectorPrunes(change.get(), before);
    }

    @Override
    public Optional<String> apply(String resourceId) {
        if (change == null) return Optional.empty();
        return declaredBefore == null || declaredBefore.contains(resourceId) ? Optional.of(change) : Optional.empty();
    }

    /** The run error for prunes an apply refused. */
    String refusal(List<ResourcePlan> refused) {
        return refused.size() + (refused.size() == 1 ? " prune" : " prunes") + " refused: " + (change == null ? "this box changed" : change)
                + " since the last apply, and only the box as it was selects " + String.join(", ", refused.stream().map(ResourcePlan::id).toList())
                + ". Give the box its hostname and labels again (--hostname, --label), or apply --allow-prune to remove "
                + (refused.size() == 1 ? "it" : "them");
    }
}
