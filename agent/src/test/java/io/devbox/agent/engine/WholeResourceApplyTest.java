package io.devbox.agent.engine;

import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's side of typed operations: a kind's apply gets the operations diff made, a failure names the change in
 * hand and keeps those made before it, a whole-resource apply sees all of a resource's changes at once, and the
 * planner holds kinds to one notion of absent.
 */
class WholeResourceApplyTest {
    private static final Origin O = new Origin("p.yaml", 2, 3);

    @TempDir
    Path root;

    /** Two files per resource, {@code NAME.a} and {@code NAME.b}; a value "fail" for b makes its write fail. */
    record Pair(String name, String a, String b, Presence presence) implements DesiredResource {
        @Override
        public String id() {
            return "pair[" + name + "]";
        }

        @Override
        public Origin origin() {
            return presence.isPresent() ? O : null;
        }
    }

    record PairSeen(String a, String b) {
    }

    sealed interface PairOp extends Operation {
        record Write(String field, String from, String to) implements PairOp {
            public Layer layer() {
                return Layer.PERSISTED;
            }
        }
    }

    static class PairKind implements Reconciler<Pair, PairSeen> {
        final List<List<String>> batches = new ArrayList<>();
        final boolean whole;
        final boolean removalPresent;

        PairKind(boolean whole, boolean removalPresent) {
            this.whole = whole;
            this.removalPresent = removalPresent;
        }

        public String kind() {
            return "pair";
        }

        public String specKey() {
            return "pairs";
        }

        public List<Pair> desired(Node section, DesiredContext context) {
            List<Pair> out = new ArrayList<>();
            ((Node.Mapping) section).entries().forEach((name, n) -> {
                String[] ab = ((Node.Scalar) n).text().split(",");
                out.add(new Pair(name, ab[0], ab[1], Presence.PRESENT));
            });
            return out;
        }

        public PairSeen probe(Pair d, Host host) throws ResourceException {
            return new PairSeen(read(host, d.name() + ".a"), read(host, d.name() + ".b"));
        }

        public List<Change> diff(Pair d, PairSeen seen) {
            List<Change> out = new ArrayList<>();
            if (!java.util.Objects.equals(d.a(), seen.a())) out.add(Change.of(d.id(), d.origin(), new PairOp.Write("a", seen.a(), d.a())));
            if (!java.util.Objects.equals(d.b(), seen.b())) out.add(Change.of(d.id(), d.origin(), new PairOp.Write("b", seen.b(), d.b())));
            return out;
        }

        public void apply(Pair d, Change change, Host host) throws ResourceException {
            PairOp.Write w = (PairOp.Write) Operation.of(change, PairOp.class);
            if ("fail".equals(w.to())) throw new ResourceException("refused by the box");
            try {
                Path p = host.path("/data/" + d.name() + "." + w.field());
                Files.createDirectories(p.getParent());
                if (w.to() == null) Files.deleteIfExists(p);
                else Files.writeString(p, w.to());
            } catch (IOException e) {
                throw new ResourceException(e.getMessage());
            }
        }

        @Override
        public void apply(Pair d, List<Change> changes, Host host, List<Change> done) throws ResourceException {
            if (whole) batches.add(changes.stream().map(Change::field).toList());
            Reconciler.super.apply(d, changes, host, done);
        }

        @Override
        public Optional<Pair> removal(String id, Map<String, String> lastApplied) {
            String name = id.substring(5, id.length() - 1);
            return Optional.of(new Pair(name, null, null, removalPresent ? Presence.PRESENT : Presence.absent(lastApplied)));
        }

        private static String read(Host host, String file) throws ResourceException {
            try {
                Path p = host.path("/data/" + file);
                return Files.exists(p) ? Files.readString(p) : null;
            } catch (IOException e) {
                throw new ResourceException(e.getMessage());
            }
        }
    }

    private DesiredContext context(Map<String, String> pairs) {
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Origin> keys = new LinkedHashMap<>();
        pairs.forEach((k, v) -> {
            entries.put(k, new Node.Scalar(v, O));
            keys.put(k, O);
        });
        ComposedSpec spec = new ComposedSpec(Map.of("pairs", new Node.Mapping(entries, keys, O)), List.of("p"), RepoFiles.NONE);
        return new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"), spec);
    }

    private Outcome apply(PairKind kind, AppliedState state, Map<String, String> pairs) throws Exception {
        Host host = Sandboxes.host(root);
        Planner planner = new Planner(List.of(kind), host, state, id -> Optional.empty());
        Plan plan = planner.plan(context(pairs), Set.of());
        Outcome out = new Applier(planner, host, Clock.systemUTC()).apply(plan, Optional.empty(), "c1", () -> false);
        state.remember(out);
        return out;
    }

    @Test
    void aFailureNamesTheChangeInHandAndKeepsWhatWasMadeBefore() throws Exception {
        AppliedState state = AppliedState.empty();
        Outcome out = apply(new PairKind(false, false), state, Map.of("x", "one,fail"));
        ResourcePlan x = out.resources().get(0);
        assertThat(x.status()).isEqualTo(Status.ERROR);
        assertThat(x.reason()).isEqualTo("apply b (persisted): refused by the box");
        assertThat(Files.readString(root.resolve("data/x.a"))).isEqualTo("one");
        // the change made before the failure is remembered for drift, the failed one is not
        assertThat(state.get("pair[x]").values()).containsOnlyKeys("a@persisted");
    }

    @Test
    void aWholeResourceApplySeesAllOfAResourcesChangesAtOnceAndRemovalsAreAbsent() throws Exception {
        AppliedState state = AppliedState.empty();
        PairKind kind = new PairKind(true, false);
        assertThat(apply(kind, state, Map.of("x", "one,two")).failed()).isFalse();
        assertThat(kind.batches).containsExactly(List.of("a", "b"));
        assertThat(state.get("pair[x]").values()).containsOnlyKeys("a@persisted", "b@persisted");

        PairKind prune = new PairKind(true, false);
        assertThat(apply(prune, state, Map.of()).resources()).singleElement()
                .satisfies(r -> assertThat(r.action()).isEqualTo(Action.REMOVE));
        assertThat(prune.batches).containsExactly(List.of("a", "b"));
        assertThat(root.resolve("data/x.a")).doesNotExist();
        assertThat(state.resources()).isEmpty();
    }

    @Test
    void aRemovalThatIsNotAbsentIsAKindsBug() throws Exception {
        AppliedState state = AppliedState.empty();
        apply(new PairKind(false, false), state, Map.of("x", "one,two"));
        Planner planner = new Planner(List.of(new PairKind(false, true)), Sandboxes.host(root), state, id -> Optional.empty());
        assertThatThrownBy(() -> planner.plan(context(Map.of()), Set.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pair removal of pair[x] is not absent");
    }
}
