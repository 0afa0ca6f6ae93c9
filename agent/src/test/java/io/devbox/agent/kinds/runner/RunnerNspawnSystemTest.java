package io.devbox.agent.kinds.runner;

import io.devbox.agent.kinds.systemd.NspawnContainer;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner's service against a real systemd (TESTING.md R3a): {@code agent apply} runs inside a systemd-nspawn
 * container through nsenter, installs the runner from a file:// mirror bind-mounted in, registers it with the
 * config.sh stand-in, and the systemd kind's code writes, enables, starts and verifies its unit.
 */
class RunnerNspawnSystemTest {
    private static final String TOKEN = "AZQ3NSPAWNTOKEN0B1C2D3E4F5A6";
    private static final String UNIT = "actions.runner.acme-api.dev-9.service";

    @Test
    void theRunnerServiceIsEnabledStartedAndASecondRunIsANoOp() throws Exception {
        NspawnContainer.requirePrerequisites();
        Path jar = SystemTests.agentJar();
        String javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();
        Path work = Files.createTempDirectory("devbox-runner-nspawn");
        NspawnContainer box = null;
        try {
            Path repo = Files.createDirectories(work.resolve("repo/profiles"));
            Path mirror = Files.createDirectories(work.resolve("mirror/v2.330.0"));
            byte[] tgz = FakeRunnerPackage.tarGz("2.330.0");
            Files.write(mirror.resolve(RunnerLayout.tarball("2.330.0")), tgz);
            byte[] next = FakeRunnerPackage.tarGz("2.331.0");
            Files.write(Files.createDirectories(work.resolve("mirror/v2.331.0")).resolve(RunnerLayout.tarball("2.331.0")), next);
            String profile = """
                    apiVersion: devbox/v1
                    kind: Profile
                    metadata: {name: ci}
                    spec:
                      runner:
                        url: https://github.com/acme/api
                        name: "${hostname}"
                        labels: [wsl2, go]
                        version: "2.330.0"
                        sha256: %s
                        mirror: file:///mirror/
                        tokenFile: /etc/devbox-agent/runner-token
                    """;
            Files.writeString(repo.resolve("ci.yaml"), profile.formatted(FakeRunnerPackage.sha256(tgz)));
            List<String> binds = new ArrayList<>(List.of(javaHome, jar + ":/agent.jar", work.resolve("repo") + ":/repo",
                    work.resolve("mirror") + ":/mirror"));
            Path javaEtc = Path.of("/etc/java-" + Runtime.version().feature() + "-openjdk");
            if (Files.isDirectory(javaEtc)) binds.add(javaEtc.toString());
            box = NspawnContainer.boot(binds, work);
            Path token = box.root().resolve("etc/devbox-agent/runner-token");
            Files.createDirectories(token.getParent());
            Files.writeString(token, TOKEN + "\n");

            List<String> apply = agent(javaHome, "apply", "--yes");
            SystemTests.Result first = box.exec(apply, Duration.ofMinutes(3));
            assertThat(first.exitCode()).as(first.all()).isZero();
            assertThat(first.all()).doesNotContain(TOKEN);
            assertThat(box.show(UNIT, "ActiveState")).isEqualTo("active");
            assertThat(box.show(UNIT, "UnitFileState")).isEqualTo("enabled");
            assertThat(box.show(UNIT, "ExecStart")).contains("path=/opt/actions-runner/runsvc.sh");
            assertThat(box.show(UNIT, "WorkingDirectory")).isEqualTo("/opt/actions-runner");
            assertThat(box.show(UNIT, "KillMode")).isEqualTo("process");
            assertThat(box.show(UNIT, "NeedDaemonReload")).isEqualTo("no");
            assertThat(Files.readAllBytes(box.root().resolve("opt/actions-runner/.runner"))).startsWith(0xEF, 0xBB, 0xBF);
            String pid = box.show(UNIT, "MainPID");

            SystemTests.Result plan = box.exec(agent(javaHome, "plan", "--detailed-exitcode"), Duration.ofMinutes(3));
            assertThat(plan.exitCode()).as(plan.all()).isZero();
            SystemTests.Result second = box.exec(apply, Duration.ofMinutes(3));
            assertThat(second.exitCode()).as(second.all()).isZero();
            assertThat(box.show(UNIT, "MainPID")).isEqualTo(pid);
            assertThat(Files.readAllLines(box.root().resolve("opt/runner-standin/argv.log"))).hasSize(1);

            // an upgrade stops the service, swaps the package under it keeping the registration, and starts it again
            Files.writeString(repo.resolve("ci.yaml"), profile.replace("2.330.0", "2.331.0").formatted(FakeRunnerPackage.sha256(next)));
            SystemTests.Result upgrade = box.exec(apply, Duration.ofMinutes(3));
            assertThat(upgrade.exitCode()).as(upgrade.all()).isZero();
            assertThat(Files.readString(box.root().resolve("opt/actions-runner/" + RunnerLayout.MARKER))).contains("version=2.331.0");
            assertThat(box.show(UNIT, "ActiveState")).isEqualTo("active");
            assertThat(box.show(UNIT, "MainPID")).isNotEqualTo(pid);
            assertThat(Files.readAllLines(box.root().resolve("opt/runner-standin/argv.log"))).as("no new registration").hasSize(1);

            List<Path> holding = new ArrayList<>();
            for (Path top : List.of(box.root().resolve("var/lib/devbox-agent"), box.root().resolve("etc/systemd/system"),
                    box.root().resolve("opt/actions-runner"))) {
                try (Stream<Path> s = Files.walk(top)) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(TOKEN)) holding.add(p);
                    }
                }
            }
            assertThat(holding).as("files holding the token").isEmpty();
        } finally {
            try {
                if (box != null) box.close();
            } finally {
                try (Stream<Path> s = Files.walk(work)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<String> agent(String javaHome, String... args) {
        List<String> argv = new ArrayList<>(List.of(javaHome + "/bin/java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", "/agent.jar"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", "/repo", "--worktree", "--root", "/", "--no-color", "--hostname", "dev-9"));
        return argv;
    }
}
