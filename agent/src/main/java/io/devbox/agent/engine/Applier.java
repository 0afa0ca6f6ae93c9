package io.devbox.agent.engine;

import io.devbox.agent.host.Host;
import io.devbox.agent.host.Times;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Applies a plan in dependency order. Each resource's changes are applied, then the resource is probed again and
 * counts as converged only when that probe shows no difference (verify, not trust). A failure never stops
 * independent resources; dependents of a failed resource are skipped.
 */
public final class Applier {
    private final Planner planner;
    private final Host host;
    private final AppliedState applied;
    private final Clock clock;

    public Applier(Planner planner, Host host, AppliedState applied, Clock clock) {
        this.planner = planner;
        this.host = host;
        this.applied = applied;
        this.clock = clock;
    }

    /** What an apply did: the final view of every resource, and errors that belong to no single resource. */
    public record Outcome(List<ResourcePlan> resources, List<String> errors, int applied) {
        public Summary summary() {
            return Summary.of(resources);
        }

        public boolean failed() {
            return !errors.isEmpty() || resources.stream().anyMatch(r -> r.status() == Status.ERROR);
        }
    }

    /**
     * @param approved     for a saved plan: resource id to the fingerprint it was planned from; items not in it are
     *                     left alone, items whose fingerprint moved are refused. Empty: apply every pending item.
     * @param commit       the source revision being applied, recorded with the applied values
     * @param stopRequested checked between resources: a clean stop finishes the resource in hand, then returns
     */
    public Outcome apply(Plan plan, Optional<Map<String, String>> approved, String commit, BooleanSupplier stopRequested) {
        return apply(plan, approved, commit, stopRequested, false);
    }

    /**
     * As {@link #apply(Plan, Optional, String, BooleanSupplier)}; a prune of {@link Prune#SELECTOR} (this box's
     * hostname or labels changed) is made only with {@code allowSelectorPrunes}, else left alone as {@code skipped}.
     */
    public Outcome apply(Plan plan, Optional<Map<String, String>> approved, String commit, BooleanSupplier stopRequested,
                         boolean allowSelectorPrunes) {
        Set<String> failed = new HashSet<>();
        Set<Reconciler<?, ?>> touched = new LinkedHashSet<>();
        List<ResourcePlan> result = new ArrayList<>();
        int appliedCount = 0;
        for (Plan.Item item : plan.items()) {
            ResourcePlan view = item.view;
            if (stopRequested.getAsBoolean() || !view.pending()) {
                if (view.status() == Status.ERROR) failed.add(view.id());
                if (item.bound.removal() && view.status() == Status.OK) applied.forget(view.id());
                result.add(view);
                continue;
            }
            if (view.prune() == Prune.SELECTOR && !allowSelectorPrunes) {
                failed.add(view.id());
                result.add(view.withStatus(Status.SKIPPED, "prune refused: " + view.reason()));
                continue;
            }
            Optional<String> failedDep = view.dependsOn().stream().filter(failed::contains).findFirst();
            if (failedDep.isPresent()) {
                failed.add(view.id());
                result.add(view.withStatus(Status.SKIPPED, "dependency failed: " + failedDep.get()));
                continue;
            }
            if (approved.isPresent()) {
                String fp = approved.get().get(view.id());
                if (fp == null) {
                    result.add(view);
                    continue;
                }
                if (!fp.equals(view.fingerprint())) {
                    failed.add(view.id());
                    result.add(view.withStatus(Status.ERROR,
                            "refused: the probed state moved since the plan was made (plan again)"));
                    continue;
                }
            }
            touched.add(item.bound.reconciler());
            ResourcePlan after = applyOne(item, commit);
            if (after.status() == Status.ERROR) failed.add(view.id());
            else appliedCount++;
            item.view = after;
            result.add(after);
        }
        List<String> errors = new ArrayList<>();
        for (Reconciler<?, ?> r : touched) {
            try {
                r.finish(host);
            } catch (ResourceException | RuntimeException e) {
                errors.add(r.kind() + ": " + Planner.reasonOf(e));
            }
        }
        return new Outcome(result, errors, appliedCount);
    }

    private ResourcePlan applyOne(Plan.Item item, String commit) {
        ResourcePlan view = item.view;
        String kind = item.bound.reconciler().kind();
        List<Change> done = new ArrayList<>();
        for (Change c : view.changes()) {
            try {
                item.bound.apply(c, host);
                done.add(c);
            } catch (ResourceException | RuntimeException e) {
                recordConverged(kind, done, planner.reprobe(item), commit);
                return view.withStatus(Status.ERROR, "apply " + c.field() + " (" + c.layer().label() + "): " + Planner.reasonOf(e));
            }
        }
        ResourcePlan verify = planner.reprobe(item);
        recordConverged(kind, done, verify, commit);
        if (verify.status() == Status.ERROR) {
            return view.withStatus(Status.ERROR, "verify after apply: " + verify.reason());
        }
        if (!verify.changes().isEmpty()) {
            Change c = verify.changes().get(0);
            return view.withStatus(Status.ERROR, "did not converge: " + c.field() + " (" + c.layer().label() + ") is "
                    + show(c.from()) + ", wanted " + show(c.to()));
        }
        if (item.bound.removal()) applied.forget(view.id());
        return view.asApplied();
    }

    /** Remembers the applied changes that the verifying probe no longer reports. */
    private void recordConverged(String kind, List<Change> done, ResourcePlan verify, String commit) {
        Set<String> still = new HashSet<>();
        for (Change c : verify.changes()) still.add(c.stateKey());
        String at = Times.iso(clock.instant());
        for (Change c : done) {
            if (verify.status() != Status.ERROR && !still.contains(c.stateKey())) applied.record(kind, c, at, commit);
        }
    }

    private static String show(String v) {
        return v == null ? "(absent)" : v;
    }
}
