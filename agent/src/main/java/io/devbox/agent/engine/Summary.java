package io.devbox.agent.engine;

import java.util.Collection;

/**
 * Counts of a plan or report by what the person must know.
 *
 * <p>{@code ok}, {@code changePending}, {@code drift}, {@code override}, {@code skipped} and {@code error} count the
 * resources by their status after the run (after an apply, what it applied is {@code ok}). {@code add},
 * {@code change} and {@code remove} count them by what they undergo: pending in a plan; in an apply, what was applied
 * plus what is still pending. {@code applied} counts what an apply changed.
 *
 * @param changePending resources with status {@code change} (pending, not drift)
 */
public record Summary(int ok, int changePending, int drift, int override, int skipped, int error, int add, int change,
                      int remove, int applied) {

    public static Summary of(Collection<ResourcePlan> resources) {
        int ok = 0, changePending = 0, drift = 0, override = 0, skipped = 0, error = 0, add = 0, change = 0, remove = 0, applied = 0;
        for (ResourcePlan r : resources) {
            switch (r.status()) {
                case OK -> ok++;
                case OVERRIDE -> override++;
                case SKIPPED -> skipped++;
                case ERROR -> error++;
                case CHANGE -> changePending++;
                case DRIFT -> drift++;
            }
            if (r.applied()) applied++;
            if (r.action() != null && (r.pending() || r.applied())) {
                switch (r.action()) {
                    case ADD -> add++;
                    case REMOVE -> remove++;
                    case CHANGE -> change++;
                }
            }
        }
        return new Summary(ok, changePending, drift, override, skipped, error, add, change, remove, applied);
    }

    /** Resources an apply would still change (status change or drift). */
    public int pending() {
        return changePending + drift;
    }
}
