package io.devbox.agent.hardening;

import io.devbox.agent.kinds.runner.FakeRunnerPackage;
import io.devbox.agent.kinds.runner.RunnerLayout;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the agent runs with three known secrets: the runner's registration token (in its tokenFile),
 * a credential in a go env value (GOPROXY=https://ci:SECRET@proxy) and a git credential in a --repo URL. None of
 * them may appear in any output, in any file under the state directory, or in any file on the sandbox other than
 * the ones that are the secrets' own destinations (the token file, the go env file, the runner stand-in's log of
 * config.sh's environment).
 */
class SecretsSystemTest {
    @TempDir
    Path tmp;
    Path root;
    Path repo;
    Path state;
    LoopbackServer server;
    final String token = "RUNNERTOKEN" + hex();
    final String goSecret = "GOPROXYSECRET" + hex();
    final String gitSecret = "GITSECRET" + hex();
    final List<String> outputs = new ArrayList<>();
    final List<String> ran = new ArrayList<>();

    private static String hex() {
        byte[] b = new byte[8];
        new Random().nextBytes(b);
        return HexFormat.of().formatHex(b).toUpperCase();
    }

    @BeforeEach
    void box() throws Exception {
        root = Sandbox.box(tmp.resolve("box"));
        state = tmp.resolve("state");
        server = new LoopbackServer();
        byte[] tgz = FakeRunnerPackage.tarGz("2.330.0");
        server.put("/mirror/v2.330.0/" + RunnerLayout.tarball("2.330.0"), tgz);
        Path tokenFile = root.resolve("etc/devbox-agent/runner-token");
        Sandbox.write(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        repo = GitRepos.init(tmp.resolve("fleet"));
        GitRepos.commitFile(repo, "profiles/ci.yaml", String.format(HostileCase.HEADER, "ci") + """
                spec:
                  sysctl:
                    vm.swappiness: 10
                  runner:
                    url: https://github.com/acme/api
                    name: "${hostname}"
                    version: "2.330.0"
                    sha256: %s
                    mirror: %s
                    tokenFile: /etc/devbox-agent/runner-token
                  go:
                    versions: ["1.22.5"]
                    checksums: {"1.22.5": "%s"}
                    mirror: file:///nonexistent/go-mirror/
                    env:
                      GOPROXY: "https://ci:%s@proxy.example.com/go,direct"
                """.formatted(FakeRunnerPackage.sha256(tgz), server.url("/mirror/"), "0".repeat(64), goSecret), "profile");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SystemTests.Result agent(String repoArg, Path stateDir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(Agents.command());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repoArg, "--root", root.toString(), "--state-dir", stateDir.toString(),
                "--hostname", "dev-1", "--user", "dev", "--no-color", "--lock-wait", "10"));
        SystemTests.Result r = SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(2));
        outputs.add(r.all());
        ran.add(String.join(" ", args) + " -> " + r.exitCode());
        assertThat(r.all()).as(String.join(" ", args)).doesNotContain("\tat ");
        return r;
    }

    @Test
    void noCommandShowsOrRecordsASecret() throws Exception {
        String local = repo.toString();
        Path planFile = tmp.resolve("plan.json");
        agent(local, state, "validate");
        SystemTests.Result plan = agent(local, state, "plan");
        assertThat(plan.stdout()).as("the go env change is shown masked").contains("https://ci:***@proxy.example.com");
        agent(local, state, "plan", "--json");
        agent(local, state, "plan", "--out", planFile.toString());
        agent(local, state, "apply", planFile.toString());
        agent(local, state, "apply", "--yes");
        agent(local, state, "apply", "--yes", "--json");
        agent(local, state, "drift");
        agent(local, state, "drift", "--format", "json");
        agent(local, state, "drift", "--format", "markdown");
        agent(local, state, "status");
        agent(local, state, "status", "--json");
        agent(local, state, "history");
        agent(local, state, "history", "--json");
        agent(local, state, "override", "go[env:GOPROXY]", "--for", "1h", "--reason", "testing a proxy");
        agent(local, state, "override", "--list");
        agent(local, state, "watch", "--once");
        agent(local, state, "watch", "--once", "--mode", "report");
        agent(local, state, "report", "push");
        agent(local, state, "report", "push", "--json");
        agent(local, state, "fleet");
        agent(local, state, "fleet", "--json");
        agent(local, state, "override", "--clear");
        agent(local, state, "schema", "runner");
        agent(local, state, "version");
        // a credential in the repository URL (nothing listens on port 1: every command fails, and says why)
        String remote = "https://alice:" + gitSecret + "@127.0.0.1:1/acme/fleet.git";
        Path remoteState = tmp.resolve("remote-state");
        for (String[] cmd : List.<String[]>of(new String[]{"validate"}, new String[]{"plan"}, new String[]{"apply", "--yes"},
                new String[]{"drift"}, new String[]{"status", "--json"}, new String[]{"watch", "--once"},
                new String[]{"report", "push"}, new String[]{"fleet"}, new String[]{"history"})) {
            agent(remote, remoteState, cmd);
        }
        SystemTests.Result failed = agent(remote, remoteState, "plan");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("https://***@127.0.0.1:1/acme/fleet.git");

        // the secrets were really in play: the token reached config.sh, the credential the go env file
        assertThat(Files.readString(root.resolve("opt/runner-standin/env.log"))).contains(token);
        Path goEnv = root.resolve("home/dev/.config/go/env");
        assertThat(Files.readString(goEnv)).contains(goSecret);

        String all = String.join("\n", outputs);
        for (String secret : List.of(token, goSecret, gitSecret)) {
            assertThat(all).as("outputs of " + ran).doesNotContain(secret);
        }
        List<Path> destinations = List.of(root.resolve("etc/devbox-agent/runner-token"), goEnv,
                root.resolve("opt/runner-standin/env.log"));
        List<String> holding = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.walk(tmp.resolve("state")), Stream.concat(Files.walk(remoteState), Files.walk(root)))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (destinations.contains(p)) continue;
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String secret : List.of(token, goSecret, gitSecret)) {
                    if (text.contains(secret)) holding.add(p + " holds " + secret.substring(0, 8));
                }
            }
        }
        assertThat(holding).as("files holding a secret").isEmpty();
        assertThat(Files.exists(planFile) ? Files.readString(planFile) : "").doesNotContain(goSecret, token);
        System.out.println("secrets: " + ran.size() + " commands checked: " + ran);
    }
}
