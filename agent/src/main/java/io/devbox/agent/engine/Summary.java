package io.devbox.agent.engine;

import java.util.Collection;

/** Counts of a plan or report by what the person must know. */
public record Summary(int ok, int add, int change, int remove, int drift, int override, int skipped, int error) {

    public static Summary of(Collection<ResourcePlan> resources) {
        int ok = 0, add = 0, change = 0, remove = 0, drift = 0, override = 0, skipped = 0, error = 0;
        for (ResourcePlan r : resources) {
            switch (r.status()) {
                case OK -> ok++;
                case OVERRIDE -> override++;
                case SKIPPED -> skipped++;
                case ERROR -> error++;
                case CHANGE, DRIFT -> {
                    if (r.status() == Status.DRIFT) drift++;
                    switch (Action.of(r)) {
                        case ADD -> add++;
                        case REMOVE -> remove++;
                        default -> change++;
                    }
                }
            }
        }
        return new Summary(ok, add, change, remove, drift, override, skipped, error);
    }

    public int pending() {
        return add + change + remove;
    }

    /** The plan-level verb of a resource with changes: everything absent before means add, absent after means remove. */
    public enum Action {
        ADD, CHANGE, REMOVE;

        public static Action of(ResourcePlan r) {
            if (r.changes().isEmpty()) return CHANGE;
            boolean allAbsentBefore = true, allAbsentAfter = true;
            for (Change c : r.changes()) {
                allAbsentBefore &= c.from() == null;
                allAbsentAfter &= c.to() == null;
            }
            if (allAbsentBefore) return ADD;
            if (allAbsentAfter) return REMOVE;
            return CHANGE;
        }

        public String symbol() {
            return switch (this) {
                case ADD -> "+";
                case CHANGE -> "~";
                case REMOVE -> "-";
            };
        }
    }
}
