package io.devbox.agent.engine;

import java.util.List;

/**
 * The result of planning: every resource in dependency order with its status and changes. A value: nothing changes it
 * after planning (an apply returns its own {@link Outcome}).
 */
public final class Plan {
    /** One planned resource and the binding the applier needs to act on it. */
    record Item(BoundResource<?, ?> bound, ResourcePlan view) {
    }

    private final List<Item> items;
    private final List<InternalFault> faults;

    Plan(List<Item> items, List<InternalFault> faults) {
        this.items = List.copyOf(items);
        this.faults = List.copyOf(faults);
    }

    List<Item> items() {
        return items;
    }

    public List<ResourcePlan> resources() {
        return items.stream().map(Item::view).toList();
    }

    /** Unexpected exceptions out of kinds while probing; their resources are internal errors in {@link #resources()}. */
    public List<InternalFault> internalFaults() {
        return faults;
    }

    public Summary summary() {
        return Summary.of(resources());
    }

    public boolean pending() {
        return items.stream().anyMatch(i -> i.view().pending());
    }
}
