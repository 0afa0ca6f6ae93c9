package io.devbox.agent.engine;

import io.devbox.agent.profile.Origin;

import java.util.List;

/** One resource a profile asks for. Kinds implement it with a record of their own. */
public interface DesiredResource {
    /** e.g. {@code sysctl[vm.swappiness]} */
    String id();

    /** Where the resource is declared (the winning profile's line). */
    Origin origin();

    /** Resource ids this one must come after (explicit {@code dependsOn} plus implicit edges). */
    default List<String> dependsOn() {
        return List.of();
    }

    /**
     * Whether the resource should exist: {@link Presence#PRESENT} for what a profile declares, {@link Presence.Absent}
     * for the removal form {@link Reconciler#removal} makes. Kinds with removals carry it as a record component.
     */
    default Presence presence() {
        return Presence.PRESENT;
    }

    /** Warnings to show in the plan even when nothing changes (e.g. a layer that cannot persist here). */
    default List<String> warnings() {
        return List.of();
    }
}
