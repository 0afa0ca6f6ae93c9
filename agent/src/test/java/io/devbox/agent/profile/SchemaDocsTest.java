package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaDocsTest {
    @Test
    void jsonIsTheSchemaFile() throws Exception {
        assertThat(SchemaDocs.json()).isEqualTo(java.nio.file.Files.readString(
                java.nio.file.Path.of("").toAbsolutePath().getParent().resolve("schema/profile.schema.json")));
    }

    @Test
    void specKeysAreTheKnownKinds() {
        assertThat(SchemaDocs.specKeys()).as("the schema and the kind registry know the same kinds")
                .containsExactlyInAnyOrderElementsOf(io.devbox.agent.kinds.Kinds.registry().newRun().stream()
                        .map(io.devbox.agent.engine.Reconciler::specKey).distinct().toList());
    }

    @Test
    void summaryOfAKindShowsItsFieldsTypesAndDescriptions() {
        String s = SchemaDocs.summary("sysctl");
        assertThat(s).startsWith("spec.sysctl: mapping\n")
                .contains("Kernel parameters")
                .contains("<name>: integer or string")
                .contains("The value: an integer, or a one-line string")
                .contains("A sysctl name")
                .contains("Example:")
                .contains("vm.swappiness: 10")
                .contains("net.ipv4.ip_local_port_range: \"20000 60999\"");
    }

    @Test
    void summaryOfTheEnvelope() {
        String s = SchemaDocs.summary("profile");
        assertThat(s).contains("apiVersion (required): = \"devbox/v1\"")
                .contains("priority: integer, default 0")
                .contains("hostnames: list")
                .contains("sysctl: mapping");
    }

    @Test
    void anUnknownKindIsAnIllegalArgument() {
        assertThatThrownBy(() -> SchemaDocs.summary("cgroupz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown kind 'cgroupz' (known: " + String.join(", ", SchemaDocs.specKeys()) + ", or 'profile' for the envelope)");
    }
}
