package io.devbox.agent.engine;

import java.util.List;

/** The result of planning: every resource in dependency order with its status and changes. */
public final class Plan {
    /** One planned resource and the binding the applier needs to act on it. */
    static final class Item {
        final BoundResource<?, ?> bound;
        ResourcePlan view;

        Item(BoundResource<?, ?> bound, ResourcePlan view) {
            this.bound = bound;
            this.view = view;
        }
    }

    private final List<Item> items;

    Plan(List<Item> items) {
        this.items = List.copyOf(items);
    }

    List<Item> items() {
        return items;
    }

    public List<ResourcePlan> resources() {
        return items.stream().map(i -> i.view).toList();
    }

    public Summary summary() {
        return Summary.of(resources());
    }

    public boolean pending() {
        return items.stream().anyMatch(i -> i.view.pending());
    }
}
