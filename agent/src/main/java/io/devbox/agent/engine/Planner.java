package io.devbox.agent.engine;

import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Turns the composed profiles into a plan: desired resources, ordered by dependencies, probed and diffed. */
public final class Planner {
    private final List<Reconciler<?, ?>> reconcilers;
    private final Host host;
    private final AppliedState applied;
    private final Function<String, Optional<String>> activeOverride;
    private final Function<String, Optional<String>> selectorPrune;
    private final MessageDigest sha = BoundResource.sha256();

    /**
     * @param activeOverride for a resource id, the description of an active override (then it is not corrected)
     */
    public Planner(List<Reconciler<?, ?>> reconcilers, Host host, AppliedState applied,
                   Function<String, Optional<String>> activeOverride) {
        this(reconcilers, host, applied, activeOverride, id -> Optional.empty());
    }

    /**
     * @param selectorPrune for the id of a resource to prune, why it is pruned when the cause is this box's changed
     *                      identity (hostname, labels) rather than the profiles: {@link Prune#SELECTOR}
     */
    public Planner(List<Reconciler<?, ?>> reconcilers, Host host, AppliedState applied,
                   Function<String, Optional<String>> activeOverride, Function<String, Optional<String>> selectorPrune) {
        this.reconcilers = reconcilers;
        this.host = host;
        this.applied = applied;
        this.activeOverride = activeOverride;
        this.selectorPrune = selectorPrune;
    }

    /**
     * @param only kind names or spec keys to plan; empty means all
     */
    public Plan plan(DesiredContext context, Set<String> only) throws ProfileException {
        List<BoundResource<?, ?>> bound = desired(context, only);
        List<BoundResource<?, ?>> ordered = DependencyOrder.sort(bound);
        Map<Reconciler<?, ?>, Optional<String>> unsupported = new LinkedHashMap<>();
        List<Plan.Item> items = new ArrayList<>(ordered.size());
        int position = 0;
        for (BoundResource<?, ?> b : ordered) {
            Optional<String> skip = unsupported.computeIfAbsent(b.reconciler(), r -> r.unsupported(host));
            items.add(new Plan.Item(b, probe(b, ++position, skip)));
        }
        return new Plan(items);
    }

    /** The ids of the resources the profiles declare in {@code context} (no removals); probes nothing. */
    public Set<String> declaredIds(DesiredContext context) throws ProfileException {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (BoundResource<?, ?> b : desired(context, Set.of())) if (!b.removal()) ids.add(b.desired().id());
        return ids;
    }

    /** Checks what planning checks before probing (each kind's semantics, dependencies); touches nothing. */
    public int check(DesiredContext context) throws ProfileException {
        return DependencyOrder.sort(desired(context, Set.of())).size();
    }

    /** Probes one resource again (after apply, or for a saved plan) and gives its fresh view. */
    ResourcePlan reprobe(Plan.Item item) {
        return probe(item.bound, item.view.position(), Optional.empty());
    }

    private ResourcePlan probe(BoundResource<?, ?> b, int position, Optional<String> unsupportedReason) {
        DesiredResource d = b.desired();
        String id = d.id();
        String kind = b.reconciler().kind();
        List<String> warnings = b.warnings(host);
        Optional<String> selector = b.removal() ? selectorPrune.apply(id) : Optional.empty();
        Prune prune = !b.removal() ? null : selector.isPresent() ? Prune.SELECTOR : Prune.PROFILES;
        if (unsupportedReason.isPresent()) {
            return new ResourcePlan(id, kind, ResourcePlan.nameOf(id), Status.SKIPPED, List.of(), d.origin(),
                    unsupportedReason.get(), warnings, null, d.dependsOn(), position, null, prune, false);
        }
        try {
            BoundResource.Probed probed = b.probe(host, sha);
            List<Change> changes = probed.changes();
            Status status;
            String reason = !b.removal() ? null
                    : selector.map(why -> "not selected for this box any more (" + why + "); apply prunes it only with --allow-prune")
                    .orElse("no longer listed (prune)");
            if (changes.isEmpty()) {
                status = Status.OK;
            } else if (activeOverride.apply(id).isPresent()) {
                status = Status.OVERRIDE;
                reason = activeOverride.apply(id).get();
            } else if (anyDrifted(changes)) {
                status = Status.DRIFT;
                String at = applied.appliedAt(id);
                reason = "changed on this box since the last apply" + (at != null ? " (" + at + ")" : "");
            } else {
                status = Status.CHANGE;
            }
            return new ResourcePlan(id, kind, ResourcePlan.nameOf(id), status, changes, d.origin(), reason,
                    warnings, probed.fingerprint(), d.dependsOn(), position, probed.action(b.removal()), prune, false);
        } catch (ResourceSkipped e) {
            return new ResourcePlan(id, kind, ResourcePlan.nameOf(id), Status.SKIPPED, List.of(), d.origin(),
                    e.getMessage(), warnings, null, d.dependsOn(), position, null, prune, false);
        } catch (ResourceException | RuntimeException e) {
            return new ResourcePlan(id, kind, ResourcePlan.nameOf(id), Status.ERROR, List.of(), d.origin(),
                    reasonOf(e), warnings, null, d.dependsOn(), position, null, prune, false);
        }
    }

    private boolean anyDrifted(List<Change> changes) {
        for (Change c : changes) if (applied.drifted(c)) return true;
        return false;
    }

    static String reasonOf(Exception e) {
        if (e instanceof ResourceException) return e.getMessage();
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    private List<BoundResource<?, ?>> desired(DesiredContext context, Set<String> only) throws ProfileException {
        List<ProfileError> errors = new ArrayList<>();
        List<BoundResource<?, ?>> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Reconciler<?, ?> r : reconcilers) {
            if (!only.isEmpty() && !only.contains(r.kind()) && !only.contains(r.specKey())) continue;
            try {
                all.addAll(bind(r, context, ids));
            } catch (ProfileException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return all;
    }

    private <D extends DesiredResource, O> List<BoundResource<?, ?>> bind(Reconciler<D, O> r, DesiredContext context,
                                                                          Set<String> ids) throws ProfileException {
        List<BoundResource<?, ?>> out = new ArrayList<>();
        Node section = context.spec().sections().get(r.specKey());
        List<ProfileError> errors = new ArrayList<>();
        if (section != null) {
            for (D d : r.desired(section, context)) {
                if (!ids.add(d.id())) {
                    errors.add(new ProfileError(d.origin(), "resource " + d.id() + " is declared twice"));
                    continue;
                }
                out.add(new BoundResource<>(r, d, false));
            }
        }
        for (Map.Entry<String, AppliedState.Entry> e : applied.resources().entrySet()) {
            if (!e.getValue().kind().equals(r.kind()) || ids.contains(e.getKey())) continue;
            Optional<D> gone = r.removal(e.getKey(), e.getValue().values());
            if (gone.isPresent()) {
                ids.add(e.getKey());
                out.add(new BoundResource<>(r, gone.get(), true));
            }
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    /** Topological order by {@link DesiredResource#dependsOn()}, stable in declaration order otherwise. */
    static final class DependencyOrder {
        private DependencyOrder() {
        }

        static List<BoundResource<?, ?>> sort(Collection<BoundResource<?, ?>> resources) throws ProfileException {
            Map<String, BoundResource<?, ?>> byId = new LinkedHashMap<>();
            for (BoundResource<?, ?> b : resources) byId.put(b.desired().id(), b);
            List<ProfileError> errors = new ArrayList<>();
            for (BoundResource<?, ?> b : resources) {
                for (String dep : b.desired().dependsOn()) {
                    if (!byId.containsKey(dep)) {
                        errors.add(new ProfileError(origin(b), b.desired().id() + " depends on " + dep
                                + ", which no profile declares"));
                    }
                }
            }
            if (!errors.isEmpty()) throw new ProfileException(errors);
            List<BoundResource<?, ?>> out = new ArrayList<>(resources.size());
            Map<String, Integer> state = new LinkedHashMap<>(); // 1 visiting, 2 done
            for (BoundResource<?, ?> b : resources) visit(b, byId, state, out, new ArrayList<>());
            return out;
        }

        private static void visit(BoundResource<?, ?> b, Map<String, BoundResource<?, ?>> byId, Map<String, Integer> state,
                                  List<BoundResource<?, ?>> out, List<String> path) throws ProfileException {
            String id = b.desired().id();
            Integer s = state.get(id);
            if (s != null && s == 2) return;
            if (s != null && s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
                cycle.add(id);
                throw new ProfileException(origin(b), "dependency cycle: " + String.join(" -> ", cycle));
            }
            state.put(id, 1);
            path.add(id);
            for (String dep : b.desired().dependsOn()) visit(byId.get(dep), byId, state, out, path);
            path.remove(path.size() - 1);
            state.put(id, 2);
            out.add(b);
        }

        private static Origin origin(BoundResource<?, ?> b) {
            Origin o = b.desired().origin();
            return o != null ? o : Origin.ofFile("(state)");
        }
    }
}
