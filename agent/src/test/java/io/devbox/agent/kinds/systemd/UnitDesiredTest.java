package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.SpecYaml;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UnitDesiredTest {
    private static final RepoFiles REPO = path -> path.equals("units/warm.service")
            ? Optional.of("[Service]\nSlice=build.slice\nExecStart=/bin/true\n".getBytes(StandardCharsets.UTF_8))
            : Optional.empty();

    private static DesiredContext ctx(Map<String, Node> sections) {
        return new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"),
                new ComposedSpec(sections, List.of("p"), REPO));
    }

    @Test
    void parsesUnitsFilesAndDependencyEdges() throws ProfileException {
        Node cgroups = SpecYaml.parse("profiles/p.yaml", "work.slice/build.slice: {pids: {max: 10}}\n");
        Node section = SpecYaml.parse("profiles/p.yaml", """
                units:
                  docker.service: {enabled: true, state: started}
                  warm.service:
                    file: units/warm.service
                    dropins: {10-limits.conf: "[Service]\\nMemoryMax=1G"}
                    enabled: masked-not
                """.replace("    enabled: masked-not\n", "    restartOnChange: false\n    dependsOn: [\"unit[docker.service]\"]\n"));
        List<UnitResource> units = new UnitReconciler().desired(section, ctx(Map.of("cgroups", cgroups)));
        assertThat(units).extracting(UnitResource::id).containsExactly("unit[docker.service]", "unit[warm.service]");
        UnitResource docker = units.get(0);
        assertThat(docker.enabled()).isEqualTo(UnitResource.Enablement.ENABLED);
        assertThat(docker.state()).isEqualTo(UnitResource.RunState.STARTED);
        assertThat(docker.content()).isNull();
        assertThat(docker.restartOnChange()).isTrue();
        UnitResource warm = units.get(1);
        assertThat(warm.content()).isEqualTo("[Service]\nSlice=build.slice\nExecStart=/bin/true\n");
        assertThat(warm.dropins()).containsEntry("10-limits.conf", "[Service]\nMemoryMax=1G\n");
        assertThat(warm.restartOnChange()).isFalse();
        // explicit edge, then the implicit one from Slice= to the declared cgroup
        assertThat(warm.dependsOn()).containsExactly("unit[docker.service]", "cgroup[work.slice/build.slice]");
        // without a cgroups section, no implicit edge (it would point at nothing)
        assertThat(new UnitReconciler().desired(section, ctx(Map.of())).get(1).dependsOn()).containsExactly("unit[docker.service]");
    }

    @Test
    void everySemanticErrorIsLocated() {
        // names, drop-in names, field values, content with file, a masked unit's content: the schema's
        // (kinds/SchemaRulesTest, kinds/SchemaStatedValuesTest)
        Node section = SpecYaml.parse("profiles/bad.yaml", """
                units:
                  b.service: {file: ../etc/passwd}
                  c.service: {file: missing.service}
                  e.service: {enabled: masked, state: started}
                  t@.service: {state: started}
                  f.service: {content: " ", dropins: {10-a.conf: "\\0"}}
                """);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> new UnitReconciler().desired(section, ctx(Map.of())));
        assertThat(e.errors()).extracting(ProfileError::render).containsExactly(
                "profiles/bad.yaml:2:21: file must stay inside the profile repository: path may not contain '..': ../etc/passwd",
                "profiles/bad.yaml:3:21: file not found in the profile repository: missing.service",
                "profiles/bad.yaml:4:39: a masked unit cannot be started",
                "profiles/bad.yaml:5:23: t@.service is a template: start or enable an instance of it (e.g. t@main.service)",
                "profiles/bad.yaml:6:24: content is empty",
                "profiles/bad.yaml:6:50: drop-in 10-a.conf contains a NUL character");
    }

    @Test
    void unitNames() {
        assertThat(UnitNames.unitProblem("docker.service")).isEmpty();
        assertThat(UnitNames.unitProblem("getty@tty1.service")).isEmpty();
        assertThat(UnitNames.unitProblem("dev-sda1.device")).isEmpty();
        assertThat(UnitNames.unitProblem("sys-fs-fuse-connections.mount")).isEmpty();
        assertThat(UnitNames.unitProblem("a/b.service")).isPresent();
        assertThat(UnitNames.unitProblem("x.conf")).isPresent();
        assertThat(UnitNames.unitProblem(".service")).isPresent();
        assertThat(UnitNames.unitProblem("a".repeat(250) + ".service")).isPresent();
        assertThat(UnitNames.dropinProblem("10-limits.conf")).isEmpty();
        assertThat(UnitNames.dropinProblem("../x.conf")).isPresent();
    }
}
