package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.kinds.systemd.UnitReconciler;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.ReconcilerDriver;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runner kind on a --root sandbox, driven the way the engine drives it, against a runner package served from a
 * loopback HTTP server whose config.sh stand-in records its arguments and environment.
 */
class RunnerReconcilerTest {
    static final String TOKEN = "AZQ3RUNNERREGTOKEN7F3C9E2D1B";
    static final String UNIT = "actions.runner.acme-api.dev-42.service";

    @TempDir
    Path root;
    Host host;
    LoopbackServer server;
    final Map<String, String> sums = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        host = Sandboxes.host(root);
        server = new LoopbackServer();
        for (String v : List.of("2.330.0", "2.331.0")) {
            byte[] tgz = FakeRunnerPackage.tarGz(v);
            server.put("/releases/v" + v + "/" + RunnerLayout.tarball(v), tgz);
            sums.put(v, FakeRunnerPackage.sha256(tgz));
        }
        Path token = root.resolve("etc/devbox-agent/runner-token");
        Files.createDirectories(token.getParent());
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private RunnerReconciler reconciler() {
        return new RunnerReconciler(new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(5), null), TarGzExtractor.standard(),
                Map.of("CI_RUNNER_TOKEN", TOKEN), Path.of("/proc"), new UnitReconciler());
    }

    private String spec(String version, String labels, String extra) {
        return "url: https://github.com/acme/api\nname: dev-42\nlabels: " + labels + "\nversion: \"" + version + "\"\nsha256: "
                + sums.getOrDefault(version, "0".repeat(64)) + "\nmirror: " + server.url("/releases/")
                + "\ninstallDir: /opt/actions-runner\ntokenFile: /etc/devbox-agent/runner-token\n" + extra;
    }

    static List<RunnerResource> desired(RunnerReconciler r, String yaml) throws ProfileException {
        var ctx = new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"),
                new ComposedSpec(Map.of(), List.of("ci"), RepoFiles.NONE), null);
        return r.desired(TestNodes.yaml("profiles/ci.yaml", yaml), ctx);
    }

    private Map<String, String> converge(RunnerReconciler r, List<RunnerResource> resources) throws ResourceException {
        return ReconcilerDriver.converge(r, resources, host);
    }

    private static List<Change> plan(RunnerReconciler r, RunnerResource d, Host host) throws ResourceException {
        return ReconcilerDriver.plan(r, d, host);
    }

    private Path dir() {
        return root.resolve("opt/actions-runner");
    }

    private List<String> argvLog() throws IOException {
        Path f = root.resolve("opt/runner-standin/argv.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private String envLog() throws IOException {
        return Files.readString(root.resolve("opt/runner-standin/env.log"));
    }

    @Test
    void installsRegistersWritesTheUnitAndReplansToNothing() throws Exception {
        RunnerReconciler r = reconciler();
        List<RunnerResource> res = desired(r, spec("2.330.0", "[wsl2, go]", ""));
        assertThat(res).extracting(RunnerResource::id).containsExactly("runner[dev-42]", "unit[" + UNIT + "]");
        assertThat(res.get(1).dependsOn()).containsExactly("runner[dev-42]");

        List<Change> planned = plan(r, res.get(0), host);
        assertThat(planned).extracting(Change::field).containsExactly("version", "url", "name", "labels");
        assertThat(planned).noneMatch(Change::disruptive);
        assertThat(planned.get(3).to()).isEqualTo("go,wsl2");

        assertThat(converge(r, res)).isEmpty();

        assertThat(dir().resolve("config.sh")).isExecutable();
        assertThat(Files.readString(dir().resolve(RunnerLayout.MARKER))).contains("version=2.330.0", "sha256=" + sums.get("2.330.0"));
        byte[] runner = Files.readAllBytes(dir().resolve(".runner"));
        assertThat(runner).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(runner, StandardCharsets.UTF_8)).contains("\"agentName\": \"dev-42\"", "\"gitHubUrl\": \"https://github.com/acme/api\"");
        assertThat(argvLog()).containsExactly("[--unattended][--url][https://github.com/acme/api][--name][dev-42][--labels][go,wsl2]"
                + "[--work][_work][--replace][--disableupdate]");
        // the token went to config.sh in its environment variable, and nowhere else
        assertThat(envLog()).contains("ACTIONS_RUNNER_INPUT_TOKEN=" + TOKEN);
        assertNoTokenOutsideTheStandInsEnvironmentLog();

        // the unit the systemd kind wrote: no systemd here, so its activation is skipped with the reason
        String unit = Files.readString(root.resolve("etc/systemd/system/" + UNIT));
        assertThat(unit).contains("ExecStart=/opt/actions-runner/runsvc.sh\n", "User=dev\n", "WorkingDirectory=/opt/actions-runner\n",
                "KillMode=process\n", "Restart=always\n", "WantedBy=multi-user.target\n");
        assertThat(r.warnings(res.get(1), host)).singleElement().asString()
                .contains("systemd is not PID 1 here", "enablement and state are skipped");

        // a fresh run plans nothing and runs nothing
        RunnerReconciler again = reconciler();
        for (RunnerResource d : desired(again, spec("2.330.0", "[go, wsl2]", ""))) assertThat(plan(again, d, host)).as(d.id()).isEmpty();
        assertThat(argvLog()).hasSize(1);
    }

    @Test
    void aLabelChangeReregistersWithReplaceAndIsDisruptive() throws Exception {
        assertThat(converge(reconciler(), desired(reconciler(), spec("2.330.0", "[wsl2, go]", "")))).isEmpty();
        RunnerReconciler r = reconciler();
        List<RunnerResource> res = desired(r, spec("2.330.0", "[wsl2, go, gpu]", ""));
        List<Change> planned = plan(r, res.get(0), host);
        assertThat(planned).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("labels");
            assertThat(c.from()).isEqualTo("go,wsl2");
            assertThat(c.to()).isEqualTo("go,gpu,wsl2");
            assertThat(c.disruptive()).isTrue();
        });
        assertThat(converge(r, res)).isEmpty();
        List<String> calls = argvLog();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1)).isEqualTo("[remove]");
        assertThat(calls.get(2)).contains("[--labels][go,gpu,wsl2]", "[--replace]", "[--name][dev-42]");
        assertThat(Files.readString(RunnerRecord.file(host, "dev-42"))).contains("go,gpu,wsl2");
        assertNoTokenOutsideTheStandInsEnvironmentLog();
    }

    @Test
    void anUpgradeKeepsTheRegistrationIsDisruptiveAndWaitsForARunningJob() throws Exception {
        assertThat(converge(reconciler(), desired(reconciler(), spec("2.330.0", "[go]", "")))).isEmpty();
        Files.createDirectories(dir().resolve("_work/api"));
        Files.writeString(dir().resolve("_work/api/cache.txt"), "warm\n");
        Files.writeString(dir().resolve(".env"), "LANG=C.UTF-8\n");
        byte[] runnerFile = Files.readAllBytes(dir().resolve(".runner"));
        byte[] credentials = Files.readAllBytes(dir().resolve(".credentials"));

        RunnerReconciler r = reconciler();
        RunnerResource install = desired(r, spec("2.331.0", "[go]", "")).get(0);
        assertThat(plan(r, install, host)).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("version");
            assertThat(c.from()).isEqualTo("2.330.0");
            assertThat(c.to()).isEqualTo("2.331.0");
            assertThat(c.disruptive()).isTrue();
        });

        // a job runs: a real process named Runner.Worker started from the install directory
        Path worker = dir().resolve("bin/Runner.Worker");
        Files.copy(Path.of("/bin/sleep"), worker, StandardCopyOption.COPY_ATTRIBUTES);
        Process job = new ProcessBuilder(worker.toString(), "300").start();
        try {
            assertThatThrownBy(() -> r.probe(install, host)).isInstanceOf(ResourceSkipped.class)
                    .hasMessageContaining("deferred while a job runs (Runner.Worker pid " + job.pid())
                    .hasMessageContaining("version 2.330.0 -> 2.331.0").hasMessageContaining("runner.force: true");
            assertThat(Files.readString(dir().resolve(RunnerLayout.MARKER))).contains("version=2.330.0");

            // force: true upgrades even now (here only planned: the job keeps running)
            RunnerReconciler forced = reconciler();
            RunnerResource forcedInstall = desired(forced, spec("2.331.0", "[go]", "force: true\n")).get(0);
            assertThat(plan(forced, forcedInstall, host)).extracting(Change::field).containsExactly("version");
        } finally {
            job.destroyForcibly();
            job.waitFor(10, TimeUnit.SECONDS);
        }
        // the job ended: the upgrade goes ahead, without a token (the registration is kept, config.sh is not run)
        Files.delete(root.resolve("etc/devbox-agent/runner-token"));
        RunnerReconciler after = reconciler();
        assertThat(converge(after, desired(after, spec("2.331.0", "[go]", "")))).isEmpty();
        assertThat(Files.readString(dir().resolve(RunnerLayout.MARKER))).contains("version=2.331.0");
        assertThat(Files.readString(dir().resolve("bin/Runner.Worker.dll"))).contains("2.331.0");
        assertThat(Files.readAllBytes(dir().resolve(".runner"))).isEqualTo(runnerFile);
        assertThat(Files.readAllBytes(dir().resolve(".credentials"))).isEqualTo(credentials);
        assertThat(dir().resolve(".credentials_rsaparams")).exists();
        assertThat(Files.readString(dir().resolve(".env"))).isEqualTo("LANG=C.UTF-8\n");
        assertThat(Files.readString(dir().resolve("_work/api/cache.txt"))).isEqualTo("warm\n");
        assertThat(argvLog()).hasSize(1);
        try (Stream<Path> s = Files.list(root.resolve("opt"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("actions-runner", "runner-standin");
        }
    }

    @Test
    void anExpiredTokenIsAClearErrorThatNeverShowsTheToken() throws Exception {
        Files.createDirectories(root.resolve("opt/runner-standin"));
        Files.writeString(root.resolve("opt/runner-standin/fail"), """

                --------------------------------------------------------------------------------
                |        ____ _ _   _   _       _          _        _   _                      |
                --------------------------------------------------------------------------------

                # Authentication

                Http response code: NotFound from 'POST https://api.github.com/actions/runner-registration' (Request Id: 0400:1F:2B)
                {"message":"Not Found","documentation_url":"https://docs.github.com/rest"}
                Response status code does not indicate success: 404 (Not Found).
                """);
        RunnerReconciler r = reconciler();
        Map<String, String> errors = converge(r, desired(r, spec("2.330.0", "[go]", "")));
        assertThat(errors).containsOnlyKeys("runner[dev-42]");
        assertThat(errors.get("runner[dev-42]")).contains("GitHub refused the registration token from tokenFile /etc/devbox-agent/runner-token",
                "Http response code: NotFound from 'POST https://api.github.com/actions/runner-registration'",
                "expire after one hour", "write it to /etc/devbox-agent/runner-token",
                "gh api -X POST repos/acme/api/actions/runners/registration-token").doesNotContain(TOKEN);
        assertThat(r.diff(desired(r, spec("2.330.0", "[go]", "")).get(0), r.probe(desired(r, spec("2.330.0", "[go]", "")).get(0), host)))
                .extracting(Change::field).containsExactly("url", "name", "labels");
        assertNoTokenOutsideTheStandInsEnvironmentLog();
    }

    @Test
    void aMissingTokenFileSaysWhatToDo() throws Exception {
        Files.delete(root.resolve("etc/devbox-agent/runner-token"));
        RunnerReconciler r = reconciler();
        Map<String, String> errors = converge(r, desired(r, spec("2.330.0", "[go]", "")));
        assertThat(errors.get("runner[dev-42]")).contains("no registration token: /etc/devbox-agent/runner-token does not exist",
                "write it to /etc/devbox-agent/runner-token");
    }

    @Test
    void aTokenFromTheAgentsEnvironment() throws Exception {
        RunnerReconciler r = reconciler();
        String yaml = spec("2.330.0", "[go]", "").replace("tokenFile: /etc/devbox-agent/runner-token\n", "tokenEnv: CI_RUNNER_TOKEN\n");
        assertThat(converge(r, desired(r, yaml))).isEmpty();
        assertThat(envLog()).contains("ACTIONS_RUNNER_INPUT_TOKEN=" + TOKEN);
        assertNoTokenOutsideTheStandInsEnvironmentLog();
    }

    @Test
    void removalStopsUnregistersAndDeletes() throws Exception {
        assertThat(converge(reconciler(), desired(reconciler(), spec("2.330.0", "[go]", "")))).isEmpty();
        RunnerReconciler r = reconciler(); // a run whose profiles have no runner section
        RunnerResource gone = r.removal("runner[dev-42]", Map.of("version@persisted", "2.330.0")).orElseThrow();
        List<Change> planned = plan(r, gone, host);
        assertThat(planned).extracting(Change::field).containsExactly("registration", "installed");
        assertThat(planned).allMatch(c -> c.to() == null);
        RunnerResource unitGone = r.removal("unit[" + UNIT + "]", Map.of("content@persisted", "20 lines")).orElseThrow();
        assertThat(converge(r, List.of(gone, unitGone))).isEmpty();
        assertThat(argvLog()).last().isEqualTo("[remove]");
        assertThat(dir()).doesNotExist();
        assertThat(RunnerRecord.file(host, "dev-42")).doesNotExist();
        assertThat(root.resolve("etc/systemd/system/" + UNIT)).doesNotExist();
        assertThat(r.removal("unit[docker.service]", Map.of("content@persisted", "x"))).isEmpty();
        assertNoTokenOutsideTheStandInsEnvironmentLog();
    }

    @Test
    void aRenamedRunnerReusesItsDirectoryAndItsOldIdDeletesNothing() throws Exception {
        assertThat(converge(reconciler(), desired(reconciler(), spec("2.330.0", "[go]", "")))).isEmpty();
        RunnerReconciler r = reconciler();
        List<RunnerResource> res = desired(r, spec("2.330.0", "[go]", "").replace("name: dev-42", "name: dev-43"));
        RunnerResource old = r.removal("runner[dev-42]", Map.of()).orElseThrow();
        assertThat(plan(r, old, host)).isEmpty();
        assertThat(converge(r, res)).isEmpty();
        assertThat(argvLog()).last().asString().contains("[--name][dev-43]");
        assertThat(RunnerRecord.file(host, "dev-42")).doesNotExist();
        assertThat(plan(r, old, host)).isEmpty();
        assertThat(dir().resolve("config.sh")).exists();
    }

    @Test
    void aWrongChecksumInstallsNothing() throws Exception {
        RunnerReconciler r = reconciler();
        String yaml = spec("2.330.0", "[go]", "").replace(sums.get("2.330.0"), sums.get("2.331.0"));
        Map<String, String> errors = converge(r, desired(r, yaml));
        assertThat(errors.get("runner[dev-42]")).contains("sha256 mismatch", "expected " + sums.get("2.331.0"),
                "got " + sums.get("2.330.0"), "nothing installed");
        assertThat(dir()).doesNotExist();
        try (Stream<Path> s = Files.list(root.resolve("opt"))) {
            assertThat(s).isEmpty();
        }
        assertThat(argvLog()).isEmpty();
    }

    @Test
    void aDirectoryTheAgentDidNotInstallIsNeverTakenOver() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("config.sh"), "#!/bin/sh\n");
        RunnerReconciler r = reconciler();
        Map<String, String> errors = converge(r, desired(r, spec("2.330.0", "[go]", "")));
        assertThat(errors.get("runner[dev-42]")).contains("exists but was not installed by devbox-agent");
        assertThat(Files.readString(dir().resolve("config.sh"))).isEqualTo("#!/bin/sh\n");
    }

    @Test
    void otherSemanticErrorsAreLocated() {
        RunnerReconciler r = reconciler();
        assertThatThrownBy(() -> desired(r, "url: https://gitlab.example.com\nname: \"dev 42\"\nlabels: [\"a,b\"]\nversion: 2.330.0\n"
                + "sha256: " + "0".repeat(64) + "\ntokenFile: /etc/../token\ninstallDir: /home/dev\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render).contains(
                        "profiles/ci.yaml:1:6: runner.url: must name an organisation or a repository (https://github.com/OWNER[/REPO]), not https://gitlab.example.com",
                        "profiles/ci.yaml:2:7: runner.name: 'dev 42' is not a runner name (1 to 64 letters, digits, '.', '_', '-')",
                        "profiles/ci.yaml:3:10: runner.labels: 'a,b' is not a label (letters, digits, '.', '_', '-'; no commas or spaces)",
                        "profiles/ci.yaml:6:12: runner.tokenFile: path may not contain '..': etc/../token",
                        "profiles/ci.yaml:7:13: runner.installDir /home/dev is a system directory; the agent deletes the install directory "
                                + "when the runner is removed: use a directory of its own, e.g. /opt/actions-runner"));
    }

    // an inline token, the minimum version and exactly one of tokenFile and tokenEnv are the schema's: kinds/SchemaRulesTest

    /** Every file under the sandbox (box and state) but the stand-in's record of its environment is free of the token. */
    private void assertNoTokenOutsideTheStandInsEnvironmentLog() throws IOException {
        List<Path> offending = new ArrayList<>();
        Path tokenFile = root.resolve("etc/devbox-agent/runner-token");
        Path envLog = root.resolve("opt/runner-standin/env.log");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (p.equals(tokenFile) || p.equals(envLog)) continue;
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(TOKEN)) offending.add(p);
            }
        }
        assertThat(offending).as("files holding the token").isEmpty();
    }
}
