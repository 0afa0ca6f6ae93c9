package io.devbox.agent.kinds.contract;

import io.devbox.agent.engine.Action;
import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.Applier;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.engine.KindServices;
import io.devbox.agent.engine.Outcome;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler contract (DESIGN.md "The reconciler SPI") that every kind of {@link Kinds} keeps, each on its own
 * fixture ({@link KindFixtures}) with random desired and actual states: probing leaves the box unchanged, diff is
 * pure, apply then plan is empty, applying the same changes again leaves the box as applying them once (its files, what
 * the kind probes, and no command the fixture knows to change anything runs again), and when
 * the profiles drop the resources, the prune restores the box: what the apply created is gone, what it left alone is
 * untouched (a file the kind took over is its own to rewrite or remove: the agent keeps no backups; what a fixture
 * keeps on purpose is named there with its reason). Driven the
 * way the agent drives kinds: the engine's planner and applier, with the agent's memory of what it applied.
 * Seeds: {@code -Ddevbox.seed=N} replays one.
 */
class KindContractTest {
    static final int TRIES = 3;
    private static final HostIdentity ID = new HostIdentity("dev-42", Map.of(), "dev", "/home/dev");

    static Stream<Arguments> kindsAndSeeds() {
        return Kinds.all().stream().flatMap(d -> Stream.iterate(1, i -> i + 1).limit(TRIES)
                .map(i -> Arguments.of(d.kind(), Long.getLong("devbox.seed", d.kind().hashCode() * 7919L + i))));
    }

    @Test
    void everyKindHasAFixtureOfItsOwnKind(@TempDir Path tmp) throws Exception {
        for (KindDescriptor d : Kinds.all()) {
            Path dir = tmp.resolve(d.kind());
            try (KindFixture f = KindFixtures.of(d.kind(), dir, new Random(1)).orElseThrow(
                    () -> new AssertionError("kind " + d.kind() + " has no fixture in KindFixtures: add one"))) {
                Reconciler<?, ?> r = f.reconciler();
                Reconciler<?, ?> registered = d.newReconciler(KindServices.standard());
                assertThat(r.kind()).isEqualTo(d.kind());
                assertThat(r.specKey()).isEqualTo(d.specKey());
                assertThat(registered.kind()).isEqualTo(d.kind());
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("kindsAndSeeds")
    void keepsTheContract(String kind, long seed, @TempDir Path tmp) throws Exception {
        try (KindFixture f = KindFixtures.of(kind, tmp, new Random(seed)).orElseThrow()) {
            check(f, "kind " + kind + ", seed " + seed + "\n" + f.section());
        }
    }

    private static void check(KindFixture f, String what) throws Exception {
        Host host = f.host();
        Node section = TestNodes.yaml("profiles/p.yaml", f.section());
        String specKey = f.reconciler().specKey();
        DesiredContext wanted = new DesiredContext(ID, new ComposedSpec(Map.of(specKey, section), List.of("p"), RepoFiles.NONE), host);
        DesiredContext dropped = new DesiredContext(ID, new ComposedSpec(Map.of(), List.of("p"), RepoFiles.NONE), host);
        AppliedState applied = AppliedState.empty();
        Set<String> notTheBox = f.notTheBox();

        Map<String, String> untouched = BoxTree.of(f.tree(), true, notTheBox);
        Plan plan = planner(f, applied).plan(wanted, Set.of());
        assertThat(BoxTree.of(f.tree(), true, notTheBox)).as("probing leaves the box unchanged, " + what).isEqualTo(untouched);
        assertThat(plan.internalFaults()).as(what).isEmpty();
        assertThat(plan.resources()).as("the fixture makes the kind work, " + what)
                .allMatch(p -> p.status() != Status.ERROR && p.status() != Status.SKIPPED, "neither error nor skipped");
        assertThat(plan.pending()).as("the fixture leaves something to do, " + what).isTrue();

        diffIsPure(f.reconciler(), section, wanted, host, what);
        assertThat(BoxTree.of(f.tree(), true, notTheBox)).as("probing leaves the box unchanged, " + what).isEqualTo(untouched);

        Outcome first = apply(f, applied, plan, what);
        assertThat(first.applied()).as(what).isPositive();
        assertThat(pending(planner(f, applied).plan(wanted, Set.of()))).as("apply then plan is empty, " + what).isEmpty();

        Map<String, String> once = BoxTree.of(f.tree(), true, notTheBox);
        Map<String, Object> seenOnce = observe(f.reconciler(), section, wanted, host);
        RecordingCommands[] commands = new RecordingCommands[1];
        applyAgain(f.reconciler(), section, wanted, RecordingCommands.recording(host, commands), plan.resources());
        assertThat(BoxTree.of(f.tree(), true, notTheBox)).as("applying the changes again = applying them once, " + what).isEqualTo(once);
        assertThat(observe(f.reconciler(), section, wanted, host)).as("and the kind observes the same, " + what).isEqualTo(seenOnce);
        assertThat(commands[0].calls()).as("and runs no command that changes anything, " + what).filteredOn(f::mutates).isEmpty();
        assertThat(pending(planner(f, applied).plan(wanted, Set.of()))).as("still nothing to do, " + what).isEmpty();

        Plan prune = planner(f, applied).plan(dropped, Set.of());
        if (!f.prunes()) {
            assertThat(pending(prune)).as("a kind without removal plans none, " + what).isEmpty();
            return;
        }
        assertThat(prune.resources()).as("every applied resource is pruned, " + what).isNotEmpty()
                .allMatch(p -> p.prune() != null && (p.changes().isEmpty() || p.action() == Action.REMOVE), "a prune");
        apply(f, applied, prune, what);
        Set<String> kept = new HashSet<>(notTheBox);
        kept.addAll(f.keptByPrune());
        Map<String, String> before = withoutDirectories(untouched, kept);
        Map<String, String> afterApply = withoutDirectories(once, kept);
        Map<String, String> afterPrune = BoxTree.of(f.tree(), false, kept);
        for (Map.Entry<String, String> e : afterApply.entrySet()) {
            String file = e.getKey();
            if (!before.containsKey(file)) {
                assertThat(afterPrune).as("removal takes away what the apply created, " + what).doesNotContainKey(file);
            } else if (before.get(file).equals(e.getValue())) {
                assertThat(afterPrune.get(file)).as("removal leaves alone what the apply left alone: " + file + ", " + what)
                        .isEqualTo(before.get(file));
            }
        }
        for (String file : f.restoredExactly()) {
            assertThat(afterPrune.get(file)).as("removal restores " + file + ", " + what).isEqualTo(before.get(file)).isNotNull();
        }
        assertThat(applied.resources().keySet()).as("and the agent forgets what it pruned, " + what)
                .doesNotContainAnyElementsOf(prune.resources().stream().map(ResourcePlan::id).toList());
        assertThat(pending(planner(f, applied).plan(dropped, Set.of()))).as("nothing left to prune, " + what).isEmpty();
    }

    private static Planner planner(KindFixture f, AppliedState applied) {
        return new Planner(List.of(f.reconciler()), f.host(), applied, id -> Optional.empty());
    }

    private static Outcome apply(KindFixture f, AppliedState applied, Plan plan, String what) {
        Planner planner = planner(f, applied);
        Outcome out = new Applier(planner, f.host(), Clock.systemUTC()).apply(plan, Optional.empty(), "c1", () -> false);
        assertThat(out.internalFaults()).as(what).isEmpty();
        assertThat(out.errors()).as(what).isEmpty();
        assertThat(out.resources()).as(what).allSatisfy(r -> assertThat(r.status()).as(r.id() + ": " + r.reason()).isNotEqualTo(Status.ERROR));
        applied.remember(out);
        return out;
    }

    private static List<String> pending(Plan plan) {
        return plan.resources().stream().filter(p -> p.status() != Status.OK || !p.changes().isEmpty())
                .map(p -> p.id() + " " + p.status() + " " + p.reason() + " " + p.changes()).toList();
    }

    private static <D extends DesiredResource, O> void diffIsPure(Reconciler<D, O> r, Node section, DesiredContext context, Host host,
                                                                 String what) throws Exception {
        for (D d : r.desired(section, context)) {
            O seen = r.probe(d, host);
            List<Change> once = r.diff(d, seen);
            assertThat(r.diff(d, seen)).as("diff is pure: same inputs, same changes, " + d.id() + ", " + what).isEqualTo(once);
            assertThat(r.diff(d, r.probe(d, host))).as("probing again sees the same, " + d.id() + ", " + what).isEqualTo(once);
        }
    }

    /** What the kind observes of each desired resource, by id. */
    private static <D extends DesiredResource, O> Map<String, Object> observe(Reconciler<D, O> r, Node section, DesiredContext context,
                                                                            Host host) throws Exception {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (D d : r.desired(section, context)) out.put(d.id(), r.probe(d, host));
        return out;
    }

    /** Applies the planned changes once more, in plan order, through a fresh reconciler (a second run of a stale plan). */
    private static <D extends DesiredResource, O> void applyAgain(Reconciler<D, O> r, Node section, DesiredContext context, Host host,
                                                                 List<ResourcePlan> planned) throws Exception {
        Map<String, D> byId = new HashMap<>();
        for (D d : r.desired(section, context)) byId.put(d.id(), d);
        for (ResourcePlan p : planned) {
            for (Change c : p.changes()) r.apply(byId.get(p.id()), c, host);
        }
        r.finish(host);
    }

    private static Map<String, String> withoutDirectories(Map<String, String> tree, Set<String> excluded) {
        Map<String, String> out = new java.util.TreeMap<>();
        tree.forEach((k, v) -> {
            if (!v.startsWith("dir ") && excluded.stream().noneMatch(x -> Path.of(k).startsWith(x))) out.put(k, v);
        });
        return out;
    }
}
