package io.devbox.agent.kinds;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.host.Json;
import io.devbox.agent.profile.ProfileSchema;
import io.devbox.agent.profile.SchemaSection;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** schema/profile.schema.json is what the kinds' fragments assemble to, and the agent's messages point into it. */
class ProfileSchemaFileTest {
    private static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void theCheckedInSchemaIsTheAssemblyOfTheKindsFragments() throws Exception {
        String checkedIn = Files.readString(REPO.resolve("schema/profile.schema.json"));
        if (!checkedIn.equals(Kinds.schema().json())) {
            fail("schema/profile.schema.json is stale: it is assembled from each kind's schema.json "
                    + "(agent/src/main/resources/io/devbox/agent/kinds/*/ and profile/envelope.schema.json). Regenerate it with "
                    + "`mvn -B -o -q process-classes -Pupdate-schema` and commit it");
        }
    }

    @Test
    void everyCustomMessagePointsAtAKeywordOfTheSchema() {
        JsonNode tree = Json.read(Kinds.schema().json());
        assertThat(Kinds.schema().messages()).isNotEmpty();
        List<String> dangling = new ArrayList<>();
        Kinds.schema().messages().keySet().forEach(pointer -> {
            if (tree.at(JsonPointer.compile(pointer)).isMissingNode()) dangling.add(pointer);
        });
        assertThat(dangling).as("messages whose keyword is not in the schema (a fragment moved it?)").isEmpty();
    }

    @Test
    void theSchemaHasOnlyStandardKeywords() {
        assertThat(Kinds.schema().json()).doesNotContain("\"errorMessage\"");
    }

    @Test
    void anExtraKindAddsItsSectionItsDefsAndItsComposedRules() {
        KindDescriptor extra = new KindDescriptor("demo", "demo", "/io/devbox/agent/kinds/ProfileSchemaFileTest-demo.json", s -> null);
        List<KindDescriptor> all = new ArrayList<>(Kinds.all());
        all.add(extra);
        ProfileSchema schema = KindRegistry.schemaOf(all);
        JsonNode tree = Json.read(schema.json());
        assertThat(tree.at("/properties/spec/properties/demo/$ref").asString()).isEqualTo("#/$defs/demo");
        assertThat(tree.at("/$defs/demo/properties/size/$ref").asString()).isEqualTo("#/$defs/demoSize");
        assertThat(tree.at("/$defs/demoSize/minimum").asInt()).isEqualTo(1);
        assertThat(tree.at("/$defs/composedSpec/properties/demo/required/0").asString()).isEqualTo("size");
        assertThat(schema.message("/$defs/demoSize/minimum")).isEqualTo("a demo needs a size of at least 1");
        assertThat(schema.specKeys()).endsWith("demo");
    }

    @Test
    void twoKindsMayNotClaimOneSectionOrOneDefinition() {
        List<SchemaSection> sameKey = List.of(new SchemaSection("go", "/io/devbox/agent/kinds/go/schema.json"),
                new SchemaSection("go", "/io/devbox/agent/kinds/go/schema.json"));
        assertThatThrownBy(() -> ProfileSchema.of(sameKey).json()).hasMessageContaining("spec.go");
        List<SchemaSection> sameDef = List.of(new SchemaSection("go", "/io/devbox/agent/kinds/go/schema.json"),
                new SchemaSection("go2", "/io/devbox/agent/kinds/go/schema.json"));
        assertThatThrownBy(() -> ProfileSchema.of(sameDef).json()).hasMessageContaining("$defs/goVersion");
    }
}
