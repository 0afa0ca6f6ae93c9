package io.devbox.agent.engine;

import java.util.List;

/** What a resource with changes is about to undergo (or underwent), as plans show it: + add, ~ change, - remove. */
public enum Action {
    /** The resource does not exist on the box yet. */
    ADD,
    /** It exists and some of its fields differ. */
    CHANGE,
    /** It is pruned: no profile lists it any more (or none selects this box). */
    REMOVE;

    public String symbol() {
        return switch (this) {
            case ADD -> "+";
            case CHANGE -> "~";
            case REMOVE -> "-";
        };
    }

    /** The past participle a finished apply reports: created, changed, removed. */
    public String done() {
        return switch (this) {
            case ADD -> "created";
            case CHANGE -> "changed";
            case REMOVE -> "removed";
        };
    }

    /**
     * The action changes alone suggest, for records made without a reconciler at hand: every field absent before means
     * add, every field absent after means remove; null when there are no changes.
     */
    public static Action infer(List<Change> changes) {
        if (changes.isEmpty()) return null;
        boolean allAbsentBefore = true, allAbsentAfter = true;
        for (Change c : changes) {
            allAbsentBefore &= c.from() == null;
            allAbsentAfter &= c.to() == null;
        }
        if (allAbsentBefore) return ADD;
        if (allAbsentAfter) return REMOVE;
        return CHANGE;
    }
}
