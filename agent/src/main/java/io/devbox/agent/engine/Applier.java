package io.devbox.agent.engine;

import io.devbox.agent.host.Host;

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
 * independent resources; dependents of a failed resource are skipped. The plan is not changed and neither is the
 * agent's memory of what it applied: the result is an {@link Outcome} for its listeners
 * ({@link AppliedState#remember}, the run record, the metrics).
 */
public final class Applier {
    private final Prober prober;
    private final Host host;
    private final Clock clock;

    /** @param planner the planner that made the plan: its probing verifies each applied resource */
    public Applier(Planner planner, Host host, Clock clock) {
        this.prober = planner.prober();
        this.host = host;
        this.clock = clock;
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
        List<ResourceOutcome> result = new ArrayList<>();
        List<InternalFault> faults = new ArrayList<>(plan.internalFaults());
        for (Plan.Item item : plan.items()) {
            ResourcePlan view = item.view();
            String kind = item.bound().reconciler().kind();
            if (stopRequested.getAsBoolean() || !view.pending()) {
                if (view.status() == Status.ERROR) failed.add(view.id());
                result.add(ResourceOutcome.untouched(view, kind, clock.instant(), item.bound().removal() && view.status() == Status.OK));
                continue;
            }
            Optional<ResourcePlan> refused = refusal(view, approved, allowSelectorPrunes, failed);
            if (refused.isPresent()) {
                if (refused.get().status() != Status.CHANGE && refused.get().status() != Status.DRIFT) failed.add(view.id());
                result.add(ResourceOutcome.untouched(refused.get(), kind, clock.instant(), false));
                continue;
            }
            touched.add(item.bound().reconciler());
            ResourceOutcome after = applyOne(item, faults);
            if (after.result().status() == Status.ERROR) failed.add(view.id());
            result.add(after);
        }
        List<String> errors = new ArrayList<>();
        for (Reconciler<?, ?> r : touched) {
            try {
                r.finish(host);
            } catch (ResourceException e) {
                errors.add(r.kind() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                InternalFault fault = new InternalFault(null, r.kind(), "finish", e);
                faults.add(fault);
                errors.add(r.kind() + ": " + fault.reason());
            }
        }
        return new Outcome(result, errors, faults, commit);
    }

    /**
     * Why a pending item is not applied: a selector prune not allowed, a failed dependency, an item the saved plan
     * does not list (left as planned) or whose probed state moved. Empty when it is to be applied.
     */
    private static Optional<ResourcePlan> refusal(ResourcePlan view, Optional<Map<String, String>> approved,
                                                  boolean allowSelectorPrunes, Set<String> failed) {
        if (view.prune() == Prune.SELECTOR && !allowSelectorPrunes) {
            return Optional.of(view.withStatus(Status.SKIPPED, "prune refused: " + view.reason()));
        }
        Optional<String> failedDep = view.dependsOn().stream().filter(failed::contains).findFirst();
        if (failedDep.isPresent()) return Optional.of(view.withStatus(Status.SKIPPED, "dependency failed: " + failedDep.get()));
        if (approved.isPresent()) {
            String fp = approved.get().get(view.id());
            if (fp == null) return Optional.of(view);
            if (!fp.equals(view.fingerprint())) {
                return Optional.of(view.withStatus(Status.ERROR, "refused: the probed state moved since the plan was made (plan again)"));
            }
        }
        return Optional.empty();
    }

    private ResourceOutcome applyOne(Plan.Item item, List<InternalFault> faults) {
        ResourcePlan view = item.view();
        String kind = item.bound().reconciler().kind();
        List<Change> done = new ArrayList<>();
        String failure = null;
        try {
            // the kind applies the resource's changes, one by one or as one step, adding each that took to done
            item.bound().apply(view.changes(), host, done);
        } catch (ResourceException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            InternalFault fault = new InternalFault(view.id(), kind, "apply", e);
            faults.add(fault);
            failure = fault.reason();
        }
        if (failure != null) {
            Change c = view.changes().get(Math.min(done.size(), view.changes().size() - 1));
            ResourcePlan verify = prober.probe(item.bound(), view.position(), Optional.empty(), "verify", faults::add);
            return new ResourceOutcome(view.withStatus(Status.ERROR, "apply " + c.field() + " (" + c.layer().label() + "): " + failure),
                    kind, converged(done, verify), clock.instant(), false);
        }
        ResourcePlan verify = prober.probe(item.bound(), view.position(), Optional.empty(), "verify", faults::add);
        List<Change> converged = converged(done, verify);
        if (verify.status() == Status.ERROR) {
            return new ResourceOutcome(view.withStatus(Status.ERROR, "verify after apply: " + verify.reason()), kind, converged,
                    clock.instant(), false);
        }
        if (!verify.changes().isEmpty()) {
            Change c = verify.changes().get(0);
            return new ResourceOutcome(view.withStatus(Status.ERROR, "did not converge: " + c.field() + " (" + c.layer().label()
                    + ") is " + show(c.from()) + ", wanted " + show(c.to())), kind, converged, clock.instant(), false);
        }
        return new ResourceOutcome(view.asApplied(), kind, converged, clock.instant(), item.bound().removal());
    }

    /** The applied changes that the verifying probe no longer reports (none when it failed). */
    private static List<Change> converged(List<Change> done, ResourcePlan verify) {
        if (verify.status() == Status.ERROR) return List.of();
        Set<String> still = new HashSet<>();
        for (Change c : verify.changes()) still.add(c.stateKey());
        return done.stream().filter(c -> !still.contains(c.stateKey())).toList();
    }

    private static String show(String v) {
        return v == null ? "(absent)" : v;
    }
}
