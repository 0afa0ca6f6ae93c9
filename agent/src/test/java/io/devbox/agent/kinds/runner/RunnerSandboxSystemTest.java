package io.devbox.agent.kinds.runner;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner kind end to end through the built agent on a --root sandbox: plan, apply, re-plan, a label change, an
 * expired token and the removal, with the token checked absent from every output, run record and file the agent wrote.
 */
class RunnerSandboxSystemTest {
    private static final String TOKEN = "AZQ3CLITOKEN5D2E8B7A61C4F09";
    private static final String UNIT = "actions.runner.acme-api.dev-1.service";

    @TempDir
    Path tmp;
    Path root;
    Path repo;
    Path state;
    LoopbackServer server;
    String sha;
    final List<String> outputs = new ArrayList<>();

    @BeforeEach
    void box() throws Exception {
        root = tmp.resolve("box");
        state = tmp.resolve("state");
        repo = GitRepos.init(tmp.resolve("fleet"));
        server = new LoopbackServer();
        byte[] tgz = FakeRunnerPackage.tarGz("2.330.0");
        server.put("/mirror/v2.330.0/" + RunnerLayout.tarball("2.330.0"), tgz);
        sha = FakeRunnerPackage.sha256(tgz);
        Path token = root.resolve("etc/devbox-agent/runner-token");
        Files.createDirectories(token.getParent());
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void commit(String labels) throws Exception {
        String spec = labels == null ? "spec: {}\n" : """
                spec:
                  runner:
                    url: https://github.com/acme/api
                    name: "${hostname}"
                    labels: %s
                    version: "2.330.0"
                    sha256: %s
                    mirror: %s
                    tokenFile: /etc/devbox-agent/runner-token
                """.formatted(labels, sha, server.url("/mirror/"));
        GitRepos.commitFile(repo, "profiles/ci.yaml", "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: ci}\n" + spec, "profile");
    }

    private SystemTests.Result onBox(String... args) throws Exception {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "--no-color"));
        SystemTests.Result r = SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(2));
        outputs.add(r.all());
        return r;
    }

    @Test
    void installReplanReconfigureExpiredTokenAndRemovalNeverShowTheToken() throws Exception {
        commit("[wsl2, go]");
        SystemTests.Result plan = onBox("plan", "--json");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        JsonNode doc = JsonMapper.shared().readTree(plan.stdout());
        List<String> ids = new ArrayList<>();
        doc.path("resources").forEach(n -> ids.add(n.path("id").asString()));
        assertThat(ids).containsExactly("runner[dev-1]", "unit[" + UNIT + "]");
        JsonNode unit = doc.path("resources").get(1);
        assertThat(unit.path("dependsOn").get(0).asString()).isEqualTo("runner[dev-1]");
        assertThat(unit.path("warnings").get(0).asString()).contains("enablement and state are skipped");

        SystemTests.Result apply = onBox("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(apply.stdout()).contains("unit[" + UNIT + "]", "Apply: 2 added, 0 changed, 0 removed, 0 unchanged, 0 failed.");
        Path dir = root.resolve("opt/actions-runner");
        assertThat(dir.resolve(".runner")).exists();
        assertThat(Files.readString(root.resolve("etc/systemd/system/" + UNIT))).contains("ExecStart=/opt/actions-runner/runsvc.sh");
        assertThat(onBox("plan", "--detailed-exitcode").exitCode()).isZero();

        commit("[wsl2, go, gpu]");
        SystemTests.Result relabel = onBox("plan", "--detailed-exitcode");
        assertThat(relabel.exitCode()).as(relabel.all()).isEqualTo(2);
        assertThat(relabel.stdout()).contains("labels", "go,wsl2 -> go,gpu,wsl2", "(disruptive)");
        SystemTests.Result applied = onBox("apply", "--yes", "--json");
        assertThat(applied.exitCode()).as(applied.all()).isZero();
        List<String> calls = Files.readAllLines(root.resolve("opt/runner-standin/argv.log"));
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1)).isEqualTo("[remove]");
        assertThat(calls.get(2)).contains("[--labels][go,gpu,wsl2]", "[--replace]");

        Files.writeString(root.resolve("opt/runner-standin/fail"),
                "Http response code: Unauthorized from 'POST https://api.github.com/actions/runner-registration'\n"
                        + "The registration token is expired.\n");
        commit("[wsl2]");
        SystemTests.Result expired = onBox("apply", "--yes");
        assertThat(expired.exitCode()).as(expired.all()).isEqualTo(1);
        assertThat(expired.stdout()).contains("GitHub refused the registration token from tokenFile /etc/devbox-agent/runner-token",
                "write it to /etc/devbox-agent/runner-token");
        Files.delete(root.resolve("opt/runner-standin/fail"));

        commit(null);
        SystemTests.Result removal = onBox("plan");
        assertThat(removal.stdout()).contains("- runner[dev-1]", "- unit[" + UNIT + "]");
        SystemTests.Result removed = onBox("apply", "--yes");
        assertThat(removed.exitCode()).as(removed.all()).isZero();
        assertThat(dir).doesNotExist();
        assertThat(root.resolve("etc/systemd/system/" + UNIT)).doesNotExist();
        assertThat(Files.readAllLines(root.resolve("opt/runner-standin/argv.log"))).last().isEqualTo("[remove]");
        assertThat(onBox("plan", "--detailed-exitcode").exitCode()).isZero();

        // the token: in config.sh's environment only; never in any output, run record or file the agent wrote
        assertThat(Files.readString(root.resolve("opt/runner-standin/env.log"))).contains("ACTIONS_RUNNER_INPUT_TOKEN=" + TOKEN);
        assertThat(String.join("\n", outputs)).doesNotContain(TOKEN);
        try (Stream<Path> s = Files.list(state.resolve("runs"))) {
            assertThat(s.count()).isGreaterThanOrEqualTo(8);
        }
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (p.endsWith("etc/devbox-agent/runner-token") || p.endsWith("opt/runner-standin/env.log")) continue;
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(TOKEN)) holding.add(p);
            }
        }
        assertThat(holding).as("files holding the token").isEmpty();
    }
}
