package io.devbox.agent.kinds.example;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.KindServices;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two kinds reading one section (as the go kind and go.tools share {@code spec.go}): the owner's fragment is the
 * section's schema, the sharing kind adds none, both plan their own resources from it, and the section's name selects
 * both for {@code --only}.
 */
class SharedSectionTest {
    /** Counts the example section's greetings: {@code count[greetings]}, a value only held in the plan. */
    static final KindDescriptor COUNTER = KindDescriptor.sharing("count", ExampleKind.DESCRIPTOR.specKey(), s -> new Counter());

    @TempDir
    Path tmp;

    record Count(int n, Origin origin) implements DesiredResource {
        public String id() {
            return "count[greetings]";
        }
    }

    record SetCount(String from, String to) implements Operation {
        public String field() { return "n"; }
        public Layer layer() { return Layer.RUNTIME; }
    }

    static final class Counter implements Reconciler<Count, Integer> {
        public String kind() { return COUNTER.kind(); }
        public String specKey() { return COUNTER.specKey(); }

        public List<Count> desired(Node section, DesiredContext context) {
            Node.Mapping greetings = (Node.Mapping) ((Node.Mapping) section).get("greetings");
            return List.of(new Count(greetings.entries().size(), section.origin()));
        }

        public Integer probe(Count d, Host host) { return 0; }

        public List<Change> diff(Count d, Integer o) {
            return d.n() == o ? List.of() : List.of(Change.of(d.id(), d.origin(), new SetCount(String.valueOf(o), String.valueOf(d.n()))));
        }

        public void apply(Count d, Change change, Host host) {
        }
    }

    private static List<KindDescriptor> kinds(boolean withOwner) {
        List<KindDescriptor> kinds = new ArrayList<>(Kinds.all());
        if (withOwner) kinds.add(ExampleKind.DESCRIPTOR);
        kinds.add(COUNTER);
        return kinds;
    }

    @Test
    void theOwnersFragmentIsTheSectionsSchemaAndTheSharingKindAddsNone() {
        var schema = KindRegistry.schemaOf(kinds(true));
        assertThat(schema.specKeys()).containsOnlyOnce("example");
        assertThat(KindRegistry.schemaOf(kinds(true)).json()).isEqualTo(KindRegistry.schemaOf(kinds(true).subList(0, kinds(true).size() - 1)).json());
        assertThat(COUNTER.schema()).isEmpty();
        assertThat(ExampleKind.DESCRIPTOR.schema()).isPresent();
    }

    @Test
    void aSharingKindWithoutItsSectionsOwnerIsRefused() {
        assertThatThrownBy(() -> KindRegistry.schemaOf(kinds(false)))
                .hasMessageContaining("kind count reads spec.example, which no registered kind describes");
    }

    @Test
    void theSectionsNameMeansBothKindsAndAKindsNameOnlyItself() {
        KindRegistry registry = KindRegistry.of(kinds(true), KindServices.standard());
        assertThat(registry.kindsOf(List.of("example"))).containsExactly("count", "greeting");
        assertThat(registry.kindsOf(List.of("count"))).containsExactly("count");
        assertThat(registry.kindsOf(List.of("greeting"))).containsExactly("greeting");
        assertThat(registry.find("example")).map(KindRegistry.Names::kind).contains("greeting");
    }

    @Test
    void bothKindsPlanTheirOwnResourcesFromTheOneSection() throws Exception {
        KindRegistry registry = KindRegistry.of(kinds(true), KindServices.standard());
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("profiles"));
        Files.writeString(repo.resolve("profiles/p.yaml"), "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: p}\n"
                + "spec:\n  example:\n    greetings: {a.txt: hi, b.txt: there}\n");
        Path root = tmp.resolve("box");
        Files.createDirectories(root.resolve("home/dev"));
        AgentOptions o = new AgentOptions(repo.toString(), null, "profiles", true, root, tmp.resolve("state"), null, null,
                "dev-1", Map.of(), "dev", Duration.ofSeconds(5), tmp);
        RunInfo plan = Session.open(o, Map.of(), Clock.systemUTC(), registry).plan("plan", Set.of());
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.resources()).extracting(ResourcePlan::id).contains("greeting[a.txt]", "greeting[b.txt]", "count[greetings]");
        ResourcePlan count = plan.resources().stream().filter(r -> r.id().equals("count[greetings]")).findFirst().orElseThrow();
        assertThat(count.status()).isEqualTo(Status.CHANGE);
        assertThat(count.changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("2"));

        RunInfo onlyCount = Session.open(o, Map.of(), Clock.systemUTC(), registry).plan("plan", Set.of("count"));
        assertThat(onlyCount.resources()).extracting(ResourcePlan::id).containsExactly("count[greetings]");
    }
}
