package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The example fleet in profiles/ validates and composes as its comments promise. */
class BundledProfilesTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    private static List<ProfileFile> bundled() throws IOException {
        List<ProfileFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(REPO.resolve("profiles"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                files.add(new ProfileFile(REPO.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p)));
            }
        }
        return files;
    }

    @Test
    void everyFileNamesTheSchemaByACorrectRelativePath() throws IOException {
        List<ProfileFile> files = bundled();
        assertThat(files).extracting(ProfileFile::path)
                .containsExactly("profiles/backend.yaml", "profiles/base.yaml", "profiles/ci-runner.yaml", "profiles/go-team.yaml",
                        "profiles/hosts/dev-42.yaml");
        for (ProfileFile f : files) {
            String first = new String(f.content()).lines().findFirst().orElse("");
            assertThat(first).startsWith("# yaml-language-server: $schema=");
            String rel = first.substring(first.indexOf('=') + 1).strip();
            Path schema = REPO.resolve(f.path()).getParent().resolve(rel).normalize();
            assertThat(schema).as(f.path()).isEqualTo(REPO.resolve("schema/profile.schema.json"));
        }
    }

    @Test
    void theFleetComposesForABackendBoxNamedDev42() throws Exception {
        ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(bundled(),
                new HostIdentity("dev-42", Map.of("team", "backend"), "dev", "/home/dev"), RepoFiles.NONE);
        assertThat(spec.profileNames()).containsExactly("base", "backend", "go-team", "dev-42");
        Node.Mapping sysctl = (Node.Mapping) spec.sections().get("sysctl");
        assertThat(value(sysctl, "fs.inotify.max_user_watches")).isEqualTo("1048576");
        assertThat(sysctl.get("fs.inotify.max_user_watches").origin().file()).isEqualTo("profiles/hosts/dev-42.yaml");
        assertThat(value(sysctl, "net.core.somaxconn")).isEqualTo("8192");
        assertThat(sysctl.get("net.core.somaxconn").origin().file()).isEqualTo("profiles/backend.yaml");
        assertThat(value(sysctl, "vm.swappiness")).isEqualTo("10");
        assertThat(sysctl.get("vm.swappiness").origin().file()).isEqualTo("profiles/base.yaml");
        assertThat(value(sysctl, "vm.max_map_count")).isEqualTo("262144");
        assertThat(value(sysctl, "net.ipv4.ip_local_port_range")).isEqualTo("20000 60999");
    }

    @Test
    void anUnlabelledBoxGetsTheBaseOnly() throws Exception {
        ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(bundled(),
                new HostIdentity("laptop", Map.of(), "dev", "/home/dev"), RepoFiles.NONE);
        assertThat(spec.profileNames()).containsExactly("base");
        assertThat(value((Node.Mapping) spec.sections().get("sysctl"), "fs.inotify.max_user_watches")).isEqualTo("524288");
    }

    @Test
    void aBackendBoxLabelledAsACiRunnerGetsTheRunnerNamedAfterItself() throws Exception {
        ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(bundled(),
                new HostIdentity("dev-42", Map.of("team", "backend", "ci", "runner"), "dev", "/home/dev"), RepoFiles.NONE);
        assertThat(spec.profileNames()).containsExactly("base", "backend", "ci-runner", "go-team", "dev-42");
        Node.Mapping runner = (Node.Mapping) spec.sections().get("runner");
        assertThat(value(runner, "name")).isEqualTo("dev-42");
        assertThat(value(runner, "tokenFile")).isEqualTo("/etc/devbox-agent/runner-token");
        assertThat(runner.get("url").origin().file()).isEqualTo("profiles/ci-runner.yaml");
    }

    @Test
    void aBackendBoxWithoutTheCiLabelHasNoRunner() throws Exception {
        ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(bundled(),
                new HostIdentity("dev-42", Map.of("team", "backend"), "dev", "/home/dev"), RepoFiles.NONE);
        assertThat(spec.sections()).doesNotContainKey("runner");
    }

    private static String value(Node.Mapping m, String key) {
        return ((Node.Scalar) m.get(key)).text();
    }
}
