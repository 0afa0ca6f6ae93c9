package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.SpecYaml;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CgroupDesiredTest {
    private static final DesiredContext CTX = new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"),
            new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE));

    @Test
    void parsesLimitsWithOrigins() throws ProfileException {
        var section = SpecYaml.parse("profiles/backend.yaml", """
                build.slice:
                  memory: {max: 8G, high: 6G}
                  cpu: {max: "150%", weight: 200}
                  io: {weight: 150}
                  pids: {max: 4096}
                  dependsOn: ["unit[docker.service]"]
                ide.slice: {}
                """);
        List<CgroupResource> rs = new CgroupReconciler().desired(section, CTX);
        assertThat(rs).extracting(CgroupResource::id).containsExactly("cgroup[build.slice]", "cgroup[ide.slice]");
        CgroupResource b = rs.get(0);
        assertThat(b.origin().line()).isEqualTo(1);
        assertThat(b.dependsOn()).containsExactly("unit[docker.service]");
        assertThat(b.limits()).extracting(Wanted::setting).containsExactly(Setting.MEMORY_MAX, Setting.MEMORY_HIGH,
                Setting.CPU_MAX, Setting.CPU_WEIGHT, Setting.IO_WEIGHT, Setting.PIDS_MAX);
        assertThat(b.limits().get(0).value()).isEqualTo(8L << 30);
        assertThat(b.limits().get(2).value()).isEqualTo(150_000L);
        assertThat(b.limits().get(2).origin().line()).isEqualTo(3);
        assertThat(b.sliceUnit()).isEqualTo("build.slice");
        assertThat(rs.get(1).limits()).isEmpty();
    }

    @Test
    void aSizeBeyondSixtyFourBitsIsALocatedError() {
        // paths, settings and the form and range of values are the schema's (kinds/SchemaStatedValuesTest)
        var section = SpecYaml.parse("profiles/bad.yaml", """
                ok.slice:
                  memory: {max: "99999999999999999999", high: 9999999999G, swapMax: 0}
                  cpu: {max: "100000%", weight: 1e2}
                  pids: {max: 4194304}
                  dependsOn: ["unit[docker.service]"]
                """);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> new CgroupReconciler().desired(section, CTX));
        assertThat(e.errors()).extracting(ProfileError::render).containsExactly(
                "profiles/bad.yaml:2:17: invalid memory.max '99999999999999999999': larger than the kernel can hold (2^63 - 1 bytes)",
                "profiles/bad.yaml:2:47: invalid memory.high '9999999999G': larger than the kernel can hold (2^63 - 1 bytes)");
    }

    @Test
    void valuesInEveryFormTheSchemaAccepts() throws Exception {
        var section = SpecYaml.parse("profiles/ok.yaml", """
                ok.slice:
                  memory: {max: 1.5e9, swapMax: 0}
                  cpu: {max: "100000%", weight: 1e2}
                  pids: {max: 4194304}
                  dependsOn: ["unit[docker.service]"]
                """);
        CgroupResource r = new CgroupReconciler().desired(section, CTX).get(0);
        assertThat(r.limits()).extracting(Wanted::value).containsExactly(1_500_000_000L, 0L, 100_000_000L, 100L, 4_194_304L);
        assertThat(r.dependsOn()).containsExactly("unit[docker.service]");
    }
}
