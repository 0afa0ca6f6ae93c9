package io.devbox.agent.engine;

import io.devbox.agent.host.Host;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one place a resource is probed and diffed into its plan line: when planning, when verifying an apply, and
 * nowhere else. Read-only on the box.
 */
final class Prober {
    private final Host host;
    private final AppliedState applied;
    private final Function<String, Optional<String>> activeOverride;
    private final Function<String, Optional<String>> selectorPrune;
    private final MessageDigest sha = BoundResource.sha256();

    Prober(Host host, AppliedState applied, Function<String, Optional<String>> activeOverride,
           Function<String, Optional<String>> selectorPrune) {
        this.host = host;
        this.applied = applied;
        this.activeOverride = activeOverride;
        this.selectorPrune = selectorPrune;
    }

    /**
     * The plan line of {@code b} as the box is now.
     *
     * @param unsupportedReason set when the whole kind cannot work on this box: the line is then {@code skipped}
     * @param faults           told of an unexpected exception out of the kind (the line is then an internal error)
     */
    ResourcePlan probe(BoundResource<?, ?> b, int position, Optional<String> unsupportedReason, String during,
                       Consumer<InternalFault> faults) {
        DesiredResource d = b.desired();
        String id = d.id();
        String kind = b.reconciler().kind();
        List<String> warnings = b.warnings(host);
        Optional<String> selector = b.removal() ? selectorPrune.apply(id) : Optional.empty();
        Prune prune = !b.removal() ? null : selector.isPresent() ? Prune.SELECTOR : Prune.PROFILES;
        if (unsupportedReason.isPresent()) {
            return line(b, Status.SKIPPED, unsupportedReason.get(), warnings, position, prune);
        }
        try {
            BoundResource.Probed probed = b.probe(host, sha);
            List<Change> changes = probed.changes();
            Status status;
            String reason = !b.removal() ? null
                    : selector.map(why -> "not selected for this box any more (" + why + "); apply prunes it only with --allow-prune")
                    .orElse("no longer listed (prune)");
            if (changes.isEmpty()) {
                status = Status.OK;
            } else if (activeOverride.apply(id).isPresent()) {
                status = Status.OVERRIDE;
                reason = activeOverride.apply(id).get();
            } else if (anyDrifted(changes)) {
                status = Status.DRIFT;
                String at = applied.appliedAt(id);
                reason = "changed on this box since the last apply" + (at != null ? " (" + at + ")" : "");
            } else {
                status = Status.CHANGE;
            }
            return new ResourcePlan(id, kind, ResourcePlan.nameOf(id), status, changes, d.origin(), reason,
                    warnings, probed.fingerprint(), d.dependsOn(), position, probed.action(b.removal()), prune, false);
        } catch (ResourceSkipped e) {
            return line(b, Status.SKIPPED, e.getMessage(), warnings, position, prune);
        } catch (ResourceException e) {
            return line(b, Status.ERROR, e.getMessage(), warnings, position, prune);
        } catch (RuntimeException e) {
            InternalFault fault = new InternalFault(id, kind, during, e);
            faults.accept(fault);
            return line(b, Status.ERROR, fault.reason(), warnings, position, prune);
        }
    }

    private static ResourcePlan line(BoundResource<?, ?> b, Status status, String reason, List<String> warnings, int position,
                                     Prune prune) {
        DesiredResource d = b.desired();
        return new ResourcePlan(d.id(), b.reconciler().kind(), ResourcePlan.nameOf(d.id()), status, List.of(), d.origin(),
                reason, warnings, null, d.dependsOn(), position, null, prune, false);
    }

    private boolean anyDrifted(List<Change> changes) {
        for (Change c : changes) if (applied.drifted(c)) return true;
        return false;
    }
}
