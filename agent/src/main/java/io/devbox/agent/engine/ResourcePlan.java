package io.devbox.agent.engine;

import io.devbox.agent.profile.Origin;

import java.util.List;

/**
 * One resource's line in a plan or report.
 *
 * @param fingerprint sha256 of what the probe observed; a saved plan is refused for an item whose fingerprint moved
 * @param position    1-based position in the dependency order
 * @param action      what its changes do to the box (add, change, remove); null when it has none
 * @param prune       why it is removed, for a resource no profile asks for any more; null otherwise
 * @param applied     an apply made its changes (and verified them): its status is then ok
 */
public record ResourcePlan(String id, String kind, String name, Status status, List<Change> changes, Origin origin,
                           String reason, List<String> warnings, String fingerprint, List<String> dependsOn,
                           int position, Action action, Prune prune, boolean applied) {
    public ResourcePlan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        dependsOn = List.copyOf(dependsOn);
    }

    /** A line whose action follows from its changes alone ({@link Action#infer}). */
    public ResourcePlan(String id, String kind, String name, Status status, List<Change> changes, Origin origin,
                        String reason, List<String> warnings, String fingerprint, List<String> dependsOn, int position) {
        this(id, kind, name, status, changes, origin, reason, warnings, fingerprint, dependsOn, position,
                Action.infer(changes), null, false);
    }

    public ResourcePlan withStatus(Status newStatus, String newReason) {
        return new ResourcePlan(id, kind, name, newStatus, changes, origin, newReason, warnings, fingerprint, dependsOn,
                position, action, prune, applied);
    }

    /** The line after a successful apply: ok, with the changes that were made. */
    public ResourcePlan asApplied() {
        return new ResourcePlan(id, kind, name, Status.OK, changes, origin, "applied", warnings, fingerprint, dependsOn,
                position, action, prune, true);
    }

    /** True when applying would do something. */
    public boolean pending() {
        return status == Status.CHANGE || status == Status.DRIFT;
    }

    /** The name inside the brackets of the id: {@code vm.swappiness} for {@code sysctl[vm.swappiness]}. */
    public static String nameOf(String id) {
        int open = id.indexOf('[');
        return open >= 0 && id.endsWith("]") ? id.substring(open + 1, id.length() - 1) : id;
    }

    /** The prefix of the id before the brackets. */
    public static String prefixOf(String id) {
        int open = id.indexOf('[');
        return open >= 0 ? id.substring(0, open) : id;
    }
}
