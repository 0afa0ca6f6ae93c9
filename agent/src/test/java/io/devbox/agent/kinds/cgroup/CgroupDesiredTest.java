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
    void reportsEverySemanticErrorWithItsPosition() {
        var section = SpecYaml.parse("profiles/bad.yaml", """
                ../etc: {}
                a/./b: {}
                ok.slice:
                  memory: {max: 8GB, high: 0}
                  cpu: {max: "0.5%", weight: 10001}
                  io: {weight: 0}
                  pids: {max: -3}
                  dependsOn: [bogus]
                """);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> new CgroupReconciler().desired(section, CTX));
        assertThat(e.errors()).extracting(ProfileError::render).containsExactly(
                "profiles/bad.yaml:1:1: invalid cgroup path: path may not contain '..': ../etc",
                "profiles/bad.yaml:2:1: invalid cgroup path: path has an empty or '.' segment: a/./b",
                "profiles/bad.yaml:4:17: invalid memory.max '8GB': expected a size in bytes with an optional K, M, G or T suffix (binary), or max",
                "profiles/bad.yaml:4:28: invalid memory.high '0': expected a size in bytes with an optional K, M, G or T suffix (binary), or max",
                "profiles/bad.yaml:5:14: invalid cpu.max '0.5%': expected a percentage of one CPU from 1% to 100000% (e.g. \"150%\"), or max",
                "profiles/bad.yaml:5:30: invalid cpu.weight '10001': expected an integer from 1 to 10000 (the default is 100)",
                "profiles/bad.yaml:6:16: invalid io.weight '0': expected an integer from 1 to 10000 (the default is 100)",
                "profiles/bad.yaml:7:15: invalid pids.max '-3': expected a number of tasks from 1 to 4194304, or max",
                "profiles/bad.yaml:8:15: dependsOn entries must be resource ids like cgroup[build.slice] or unit[docker.service]");
    }
}
