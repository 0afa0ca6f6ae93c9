package io.devbox.agent.kinds;

import io.devbox.agent.profile.ProfileSchema;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema digest the build writes into the jar is the one the fragments give, and only for their sections. */
class SchemaDigestFileTest {
    @Test
    void theBuiltDigestIsTheDigestOfTheFragmentsOnTheClasspath() {
        ProfileSchema schema = Kinds.schema();
        assertThat(schema.builtDigest()).as("the build's schema.digest (execution schema-digest in agent/pom.xml)").isPresent();
        assertThat(schema.builtDigest().get()).isEqualTo(schema.computeDigest());
    }

    @Test
    void aSchemaOfOtherSectionsComputesItsOwn() {
        ProfileSchema all = Kinds.schema();
        ProfileSchema fewer = ProfileSchema.of(all.sections().subList(0, all.sections().size() - 1));
        assertThat(fewer.builtDigest()).isEmpty();
        assertThat(fewer.computeDigest()).isNotEqualTo(all.computeDigest());
    }

    @Test
    void theFileNamesTheSectionsItWasComputedFor(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("schema.digest");
        SchemaDigestFile.main(new String[]{file.toString()});
        String[] lines = Files.readString(file).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("sysctl=/io/devbox/agent/kinds/sysctl/schema.json");
        assertThat(lines[1]).matches("[0-9a-f]{64}");
    }
}
