package io.devbox.agent.engine;

import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * The planner and applier with a small kind that keeps one real file per resource in a sandbox. Its spec is
 * {@code files: {NAME: {content: TEXT, dependsOn: [ids], broken: true|false}}}; a "broken" file's apply writes the
 * wrong content, so it never converges.
 */
class EngineTest {
    record FileWanted(String name, String content, boolean broken, List<String> dependsOn, Origin origin)
            implements DesiredResource {
        @Override
        public String id() {
            return "file[" + name + "]";
        }
    }

    record FileSeen(String content) {
    }

    static final class FileKind implements Reconciler<FileWanted, FileSeen> {
        final List<String> applied = new ArrayList<>();

        @Override
        public String kind() {
            return "file";
        }

        @Override
        public String specKey() {
            return "files";
        }

        @Override
        public List<FileWanted> desired(Node section, DesiredContext context) {
            List<FileWanted> out = new ArrayList<>();
            Node.Mapping m = (Node.Mapping) section;
            m.entries().forEach((name, n) -> {
                Node.Mapping f = (Node.Mapping) n;
                List<String> deps = f.get("dependsOn") instanceof Node.Sequence s
                        ? s.items().stream().map(i -> ((Node.Scalar) i).text()).toList() : List.of();
                boolean broken = f.get("broken") instanceof Node.Scalar b && b.text().equals("true");
                out.add(new FileWanted(name, ((Node.Scalar) f.get("content")).text(), broken, deps, m.keyOrigin(name)));
            });
            return out;
        }

        @Override
        public FileSeen probe(FileWanted d, Host host) throws ResourceException {
            try {
                return new FileSeen(Files.readString(host.path("/data/" + d.name())));
            } catch (NoSuchFileException e) {
                return new FileSeen(null);
            } catch (IOException e) {
                throw new ResourceException(e.getMessage());
            }
        }

        @Override
        public List<Change> diff(FileWanted d, FileSeen seen) {
            if (java.util.Objects.equals(d.content(), seen.content())) return List.of();
            return List.of(Change.of(d.id(), "content", Layer.PERSISTED, seen.content(), d.content(), d.origin()));
        }

        @Override
        public void apply(FileWanted d, Change change, Host host) throws ResourceException {
            applied.add(d.name());
            try {
                Path p = host.path("/data/" + d.name());
                Files.createDirectories(p.getParent());
                if (d.content() == null) Files.deleteIfExists(p);
                else Files.writeString(p, d.broken() ? "wrong" : d.content());
            } catch (IOException e) {
                throw new ResourceException(e.getMessage());
            }
        }

        @Override
        public Optional<FileWanted> removal(String id, Map<String, String> lastApplied) {
            return Optional.of(new FileWanted(id.substring(5, id.length() - 1), null, false, List.of(), null));
        }
    }

    @TempDir
    Path root;

    private static Node.Scalar s(String text) {
        return new Node.Scalar(text, new Origin("p.yaml", 1, 1));
    }

    private static Node.Mapping map(Map<String, Node> entries) {
        Map<String, Origin> keys = new LinkedHashMap<>();
        int line = 1;
        for (String k : entries.keySet()) keys.put(k, new Origin("p.yaml", ++line, 3));
        return new Node.Mapping(entries, keys, new Origin("p.yaml", 1, 1));
    }

    private static Node file(String content, String... deps) {
        Map<String, Node> m = new LinkedHashMap<>();
        m.put("content", s(content));
        if (deps.length > 0) m.put("dependsOn", new Node.Sequence(List.of(deps).stream().map(d -> (Node) s(d)).toList(), null));
        return map(m);
    }

    private static Node broken(String content) {
        return map(Map.of("content", s(content), "broken", s("true")));
    }

    private DesiredContext context(Map<String, Node> files) {
        ComposedSpec spec = new ComposedSpec(Map.of("files", map(files)), List.of("p"), RepoFiles.NONE);
        return new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"), spec);
    }

    private record Run(Plan plan, Applier.Outcome outcome) {
    }

    private Run applyOnce(AppliedState state, Map<String, Node> files) throws ProfileException {
        Host host = Sandboxes.host(root);
        Planner planner = new Planner(List.of(new FileKind()), host, state, id -> Optional.empty());
        Plan plan = planner.plan(context(files), Set.of());
        Applier.Outcome out = new Applier(planner, host, state, Clock.systemUTC()).apply(plan, Optional.empty(), "c1", () -> false);
        return new Run(plan, out);
    }

    private Plan plan(AppliedState state, Map<String, Node> files) throws ProfileException {
        return new Planner(List.of(new FileKind()), Sandboxes.host(root), state, id -> Optional.empty()).plan(context(files), Set.of());
    }

    private static Map<String, Status> statuses(List<ResourcePlan> rs) {
        Map<String, Status> out = new LinkedHashMap<>();
        rs.forEach(r -> out.put(r.id(), r.status()));
        return out;
    }

    @Test
    void changeThenOkThenDriftThenRollout() throws Exception {
        AppliedState state = AppliedState.empty();
        Map<String, Node> files = new LinkedHashMap<>(Map.of("a", file("one")));
        assertThat(statuses(plan(state, files).resources())).containsEntry("file[a]", Status.CHANGE);
        Run first = applyOnce(state, files);
        assertThat(first.outcome().failed()).isFalse();
        assertThat(plan(state, files).resources()).extracting(ResourcePlan::status).containsExactly(Status.OK);

        Files.writeString(root.resolve("data/a"), "edited by hand");
        ResourcePlan drift = plan(state, files).resources().get(0);
        assertThat(drift.status()).isEqualTo(Status.DRIFT);
        assertThat(drift.reason()).startsWith("changed on this box since the last apply");

        applyOnce(state, files);
        files.put("a", file("two"));
        assertThat(plan(state, files).resources().get(0).status()).as("profile changed, box as last applied: rollout").isEqualTo(Status.CHANGE);
    }

    @Test
    void removedFromProfilesIsPrunedAndForgotten() throws Exception {
        AppliedState state = AppliedState.empty();
        applyOnce(state, Map.of("a", file("one"), "b", file("two")));
        Plan plan = plan(state, Map.of("a", file("one")));
        ResourcePlan gone = plan.resources().stream().filter(r -> r.id().equals("file[b]")).findFirst().orElseThrow();
        assertThat(gone.reason()).isEqualTo("no longer listed (prune)");
        assertThat(gone.action()).isEqualTo(Action.REMOVE);
        assertThat(gone.prune()).isEqualTo(Prune.PROFILES);
        assertThat(plan.summary().remove()).isEqualTo(1);
        applyOnce(state, Map.of("a", file("one")));
        assertThat(Files.exists(root.resolve("data/b"))).isFalse();
        assertThat(state.resources()).containsOnlyKeys("file[a]");
    }

    @Test
    void orderFollowsDependenciesAndCyclesAreErrors() throws Exception {
        Map<String, Node> files = new LinkedHashMap<>();
        files.put("app", file("x", "file[lib]"));
        files.put("lib", file("y", "file[base]"));
        files.put("base", file("z"));
        assertThat(plan(AppliedState.empty(), files).resources()).extracting(ResourcePlan::id, ResourcePlan::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("file[base]", 1), org.assertj.core.groups.Tuple.tuple("file[lib]", 2),
                        org.assertj.core.groups.Tuple.tuple("file[app]", 3));
        files.put("base", file("z", "file[app]"));
        assertThatThrownBy(() -> plan(AppliedState.empty(), files)).isInstanceOfSatisfying(ProfileException.class, e ->
                assertThat(e.errors().get(0).message()).contains("dependency cycle").contains("file[app]", "file[lib]", "file[base]"));
        files.put("base", file("z", "file[nope]"));
        assertThatThrownBy(() -> plan(AppliedState.empty(), files)).hasMessageContaining("depends on file[nope], which no profile declares");
    }

    @Test
    void aResourceThatDoesNotConvergeFailsAndItsDependentsAreSkipped() throws Exception {
        Map<String, Node> files = new LinkedHashMap<>();
        files.put("base", broken("z"));
        files.put("app", file("x", "file[base]"));
        files.put("other", file("o"));
        Run run = applyOnce(AppliedState.empty(), files);
        Map<String, ResourcePlan> byId = new LinkedHashMap<>();
        run.outcome().resources().forEach(r -> byId.put(r.id(), r));
        assertThat(byId.get("file[base]").status()).isEqualTo(Status.ERROR);
        assertThat(byId.get("file[base]").reason()).isEqualTo("did not converge: content (persisted) is wrong, wanted z");
        assertThat(byId.get("file[app]").status()).isEqualTo(Status.SKIPPED);
        assertThat(byId.get("file[app]").reason()).isEqualTo("dependency failed: file[base]");
        assertThat(byId.get("file[other]").status()).as("independent resources still converge").isEqualTo(Status.OK);
        assertThat(run.outcome().failed()).isTrue();
    }

    @Test
    void aSavedPlanRefusesItemsWhoseProbedStateMoved() throws Exception {
        AppliedState state = AppliedState.empty();
        Map<String, Node> files = Map.of("a", file("one"), "b", file("two"));
        Plan saved = plan(state, files);
        Map<String, String> approved = new LinkedHashMap<>();
        saved.resources().forEach(r -> approved.put(r.id(), r.fingerprint()));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/b"), "someone else");

        Host host = Sandboxes.host(root);
        Planner planner = new Planner(List.of(new FileKind()), host, state, id -> Optional.empty());
        Plan fresh = planner.plan(context(files), Set.of());
        Applier.Outcome out = new Applier(planner, host, state, Clock.systemUTC()).apply(fresh, Optional.of(approved), "c1", () -> false);
        assertThat(statuses(out.resources())).containsEntry("file[a]", Status.OK).containsEntry("file[b]", Status.ERROR);
        assertThat(out.resources().stream().filter(r -> r.id().equals("file[b]")).findFirst().orElseThrow().reason()).contains("refused: the probed state moved since the plan was made");
        assertThat(Files.readString(root.resolve("data/b"))).isEqualTo("someone else");
    }

    @Test
    void appliedStateRoundTripsAndRemembersLongValuesAsDigests(@TempDir Path stateDir) throws Exception {
        AppliedState state = AppliedState.empty();
        String longValue = "x".repeat(500);
        state.record("file", Change.of("file[a]", "content", Layer.PERSISTED, null, longValue, null), "2026-11-29T10:00:00Z", "abc");
        StateDir dir = new StateDir(stateDir);
        dir.saveApplied(state);
        AppliedState back = dir.loadApplied();
        assertThat(back.get("file[a]").values().get("content@persisted")).startsWith("sha256:");
        assertThat(back.drifted(Change.of("file[a]", "content", Layer.PERSISTED, longValue, "y", null))).isFalse();
        assertThat(back.drifted(Change.of("file[a]", "content", Layer.PERSISTED, longValue + "!", "y", null))).isTrue();
        Files.writeString(stateDir.resolve("applied.json"), "{ torn");
        assertThatThrownBy(dir::loadApplied).hasMessageContaining("is not valid JSON");
    }

    @Test
    void anAppliedRemovalCountsAsARemovalAndAnAddAsAnAdd() throws Exception {
        AppliedState state = AppliedState.empty();
        Run first = applyOnce(state, Map.of("a", file("one")));
        assertThat(first.plan().resources().get(0).action()).isEqualTo(Action.ADD);
        assertThat(first.outcome().resources().get(0).applied()).isTrue();
        assertThat(first.outcome().summary()).extracting(Summary::add, Summary::remove, Summary::applied, Summary::ok, Summary::pending)
                .containsExactly(1, 0, 1, 1, 0);
        Run second = applyOnce(state, Map.of("b", file("two")));
        Summary s = second.outcome().summary();
        assertThat(s.remove()).as("what the apply removed (it was ok afterwards: once counted as nothing)").isEqualTo(1);
        assertThat(s.add()).isEqualTo(1);
        assertThat(s.applied()).isEqualTo(2);
        assertThat(second.outcome().resources()).filteredOn(r -> r.id().equals("file[a]")).singleElement()
                .satisfies(r -> assertThat(r.prune()).isEqualTo(Prune.PROFILES));
    }

    @Test
    void aPruneCausedByTheBoxsChangedIdentityIsAppliedOnlyWhenAllowed() throws Exception {
        AppliedState state = AppliedState.empty();
        applyOnce(state, Map.of("a", file("one"), "runner", file("r")));
        Host host = Sandboxes.host(root);
        java.util.function.Function<String, Optional<String>> guard =
                id -> id.equals("file[runner]") ? Optional.of("labels changed: ci=runner missing") : Optional.empty();
        Planner planner = new Planner(List.of(new FileKind()), host, state, id -> Optional.empty(), guard);
        Plan plan = planner.plan(context(Map.of("a", file("one"))), Set.of());
        ResourcePlan runner = plan.resources().stream().filter(r -> r.id().equals("file[runner]")).findFirst().orElseThrow();
        assertThat(runner.prune()).isEqualTo(Prune.SELECTOR);
        assertThat(runner.action()).isEqualTo(Action.REMOVE);
        assertThat(runner.reason()).contains("labels changed: ci=runner missing", "--allow-prune");

        Applier.Outcome refused = new Applier(planner, host, state, Clock.systemUTC()).apply(plan, Optional.empty(), "c1", () -> false, false);
        assertThat(refused.resources()).filteredOn(r -> r.id().equals("file[runner]")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(Status.SKIPPED))
                .satisfies(r -> assertThat(r.reason()).startsWith("prune refused: not selected for this box any more"));
        assertThat(Files.exists(root.resolve("data/runner"))).as("nothing removed").isTrue();
        assertThat(state.resources()).containsKey("file[runner]");

        Plan again = planner.plan(context(Map.of("a", file("one"))), Set.of());
        Applier.Outcome allowed = new Applier(planner, host, state, Clock.systemUTC()).apply(again, Optional.empty(), "c1", () -> false, true);
        assertThat(allowed.summary().remove()).isEqualTo(1);
        assertThat(Files.exists(root.resolve("data/runner"))).isFalse();
        assertThat(state.resources()).doesNotContainKey("file[runner]");
    }
}
