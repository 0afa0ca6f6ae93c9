package io.devbox.agent.engine;

import java.util.List;

/**
 * What an apply did, as a new value (the plan it started from is unchanged): every resource's outcome in plan order,
 * errors that belong to no single resource, and the kinds' internal faults (of planning and of applying).
 *
 * @param commit the source revision applied, remembered with the applied values
 */
public record Outcome(List<ResourceOutcome> items, List<String> errors, List<InternalFault> internalFaults, String commit) {
    public Outcome {
        items = List.copyOf(items);
        errors = List.copyOf(errors);
        internalFaults = List.copyOf(internalFaults);
    }

    /** The final line of every resource. */
    public List<ResourcePlan> resources() {
        return items.stream().map(ResourceOutcome::result).toList();
    }

    /** How many resources the apply changed (and verified). */
    public int applied() {
        return (int) items.stream().filter(i -> i.result().applied()).count();
    }

    public Summary summary() {
        return Summary.of(resources());
    }

    public boolean failed() {
        return !errors.isEmpty() || items.stream().anyMatch(i -> i.result().status() == Status.ERROR);
    }
}
