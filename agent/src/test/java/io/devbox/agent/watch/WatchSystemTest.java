package io.devbox.agent.watch;

import io.devbox.agent.testing.Exposition;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built agent as a daemon on a sandboxed box: {@code --root} for /etc, a fake /proc/sys tree ({@code --sysctl-dir})
 * in a temp dir, a fake boot id file, and a real git repository made with the git CLI. Nothing outside the temp dir
 * is touched; every process started here is killed in {@link #stopProcesses()}.
 */
class WatchSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;
    private Path repo;
    private Path root;
    private Path sys;
    private Path state;
    private Path bootId;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void sandbox() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.requireCommand("kill");
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        sys = tmp.resolve("proc-sys");
        Files.createDirectories(sys.resolve("net/core"));
        Files.createDirectories(sys.resolve("net/ipv4"));
        Files.writeString(sys.resolve("net/core/somaxconn"), "4096\n");
        Files.writeString(sys.resolve("net/ipv4/tcp_fin_timeout"), "60\n");
        state = tmp.resolve("state");
        bootId = Files.writeString(tmp.resolve("boot_id"), "11111111-aaaa\n");
        repo = GitRepos.init(tmp.resolve("fleet"));
        commit("1024", "30", "first");
    }

    @AfterEach
    void stopProcesses() throws Exception {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String commit(String somaxconn, String finTimeout, String message) throws Exception {
        return GitRepos.commitFile(repo, "profiles/base.yaml", """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: base}
                spec:
                  sysctl:
                    net.core.somaxconn: %s
                    net.ipv4.tcp_fin_timeout: %s
                """.formatted(somaxconn, finTimeout), message);
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--sysctl-dir", sys.toString(),
                "--state-dir", state.toString(), "--hostname", "dev-1", "--no-color"));
        return argv;
    }

    private SystemTests.Result agent(String... args) throws Exception {
        return SystemTests.run(argv(args), Map.of(), tmp, Duration.ofMinutes(2));
    }

    /** Starts {@code agent watch ...} in the background, its output in a file. */
    private Daemon watch(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("watch", "--boot-id-file", bootId.toString()));
        a.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "watch", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv(a.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        started.add(p);
        return new Daemon(p, log);
    }

    private record Daemon(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        long count(String text) throws IOException {
            return output().lines().filter(l -> l.contains(text)).count();
        }

        void signal(String sig) throws Exception {
            SystemTests.sh(List.of("kill", "-" + sig, String.valueOf(process.pid())));
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            Thread.sleep(100);
        }
    }

    private BooleanSupplier logHas(Daemon d, String text, long times) {
        return () -> {
            try {
                return d.count(text) >= times;
            } catch (IOException e) {
                return false;
            }
        };
    }

    private String sysctl(String key) throws IOException {
        return Files.readString(sys.resolve(key)).strip();
    }

    private BooleanSupplier sysctlIs(String key, String value) {
        return () -> {
            try {
                return sysctl(key).equals(value);
            } catch (IOException e) {
                return false;
            }
        };
    }

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Test
    void onceFollowsNewCommitsAndHistoryRecordsThem() throws Exception {
        SystemTests.Result first = agent("watch", "--once", "--boot-id-file", bootId.toString());
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(sysctl("net/core/somaxconn")).isEqualTo("1024");
        assertThat(Files.readString(root.resolve("etc/sysctl.d/90-devbox-agent.conf"))).contains("net.core.somaxconn = 1024");

        String second = commit("2048", "30", "more connections");
        SystemTests.Result again = agent("watch", "--once", "--boot-id-file", bootId.toString());
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stdout()).contains("cycle (start)", "at " + second.substring(0, 7));
        assertThat(sysctl("net/core/somaxconn")).isEqualTo("2048");

        JsonNode history = json(agent("history", "--json").stdout());
        assertThat(history.path("runs")).hasSize(2);
        JsonNode newest = history.path("runs").get(0);
        assertThat(newest.path("command").asString()).isEqualTo("watch");
        assertThat(newest.path("commit").asString()).isEqualTo(second);
        assertThat(newest.path("summary").path("ok").asInt()).isEqualTo(2);
        assertThat(agent("history", "-n", "1", "--json").stdout()).doesNotContain(history.path("runs").get(1).path("id").asString());

        SystemTests.Result show = agent("history", "show", newest.path("id").asString(), "--json");
        assertThat(show.exitCode()).as(show.all()).isZero();
        assertThat(json(show.stdout()).path("resources")).hasSize(2);
        // a unique prefix shows the run; two cycles that start within one second share their time and command, and a
        // prefix of only those is ambiguous
        String id = newest.path("id").asString();
        String older = history.path("runs").get(1).path("id").asString();
        int shared = 0;
        while (shared < Math.min(id.length(), older.length()) && id.charAt(shared) == older.charAt(shared)) shared++;
        SystemTests.Result text = agent("history", "show", id.substring(0, Math.max(22, shared + 1)));
        assertThat(text.exitCode()).as(text.all()).isZero();
        assertThat(text.stdout()).contains("sysctl[net.core.somaxconn]", second);
        if (shared >= 22) {
            SystemTests.Result ambiguous = agent("history", "show", id.substring(0, shared));
            assertThat(ambiguous.exitCode()).isEqualTo(1);
            assertThat(ambiguous.stderr()).contains("is ambiguous (2 runs); give more of it");
        }
        assertThat(agent("history", "show", "19990101").exitCode()).isEqualTo(1);

        JsonNode status = json(agent("status", "--json").stdout());
        assertThat(status.path("source").path("commit").asString()).isEqualTo(second);
        assertThat(status.path("source").has("fetchedAt")).isTrue();
        assertThat(status.path("host").path("restartPending").asBoolean(true)).isFalse();
        assertThat(status.path("lastRun").path("command").asString()).isEqualTo("watch");

        // status reads the remote source's state file tolerantly when it is there
        Files.writeString(state.resolve("source.json"), """
                {"repo": "ssh://git@example.com/fleet.git", "ref": "main", "commit": "%s", "fetchedAt": "2026-11-29T10:00:00Z",
                 "error": "connection refused", "badCommit": "deadbeef", "badCommitErrors": ["profiles/x.yaml:1:1: bad"], "signature": null}
                """.formatted(second));
        String bootNow = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        Files.createDirectories(state.resolve("wsl"));
        Files.writeString(state.resolve("wsl/restart-pending.json"), "{\"bootId\": \"" + bootNow + "\", \"since\": \"x\", \"changed\": []}");
        status = json(agent("status", "--json").stdout());
        assertThat(status.path("source").path("error").asString()).isEqualTo("connection refused");
        assertThat(status.path("source").path("badCommit").asString()).isEqualTo("deadbeef");
        assertThat(status.path("source").path("repo").asString()).isEqualTo("ssh://git@example.com/fleet.git");
        assertThat(status.path("host").path("restartPending").asBoolean()).isTrue();
        assertThat(agent("status").stdout()).contains("source error: connection refused", "refused commit deadbeef", "WSL restart is pending");
    }

    @Test
    void theDaemonRestoresAfterRebootCyclesOnHupServesMetricsAndStopsCleanlyOnTerm() throws Exception {
        Daemon d = watch("--interval", "1s", "--drift-interval", "1h", "--metrics-address", "127.0.0.1:0");
        await("the first cycle", Duration.ofSeconds(60), logHas(d, "cycle (start)", 1));
        assertThat(sysctl("net/core/somaxconn")).isEqualTo("1024");

        Files.writeString(sys.resolve("net/core/somaxconn"), "999\n");
        Thread.sleep(3000);
        assertThat(sysctl("net/core/somaxconn")).as("no cycle without a reason: drift interval is 1h\n" + d.output()).isEqualTo("999");
        assertThat(d.count("cycle (")).isEqualTo(1);

        Files.writeString(bootId, "22222222-bbbb\n");
        await("a cycle after the boot id changed", Duration.ofSeconds(15), logHas(d, "cycle (the box restarted (new boot id))", 1));
        await("the runtime value restored", Duration.ofSeconds(5), sysctlIs("net/core/somaxconn", "1024"));

        d.signal("HUP");
        await("a cycle on SIGHUP", Duration.ofSeconds(15), logHas(d, "cycle (SIGHUP)", 1));

        String next = commit("1500", "30", "tune");
        await("a cycle for the new commit", Duration.ofSeconds(20), logHas(d, "cycle (new revision " + next.substring(0, 7) + ")", 1));
        assertThat(sysctl("net/core/somaxconn")).isEqualTo("1500");

        Matcher m = Pattern.compile("serving metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(d.output());
        assertThat(m.find()).as(d.output()).isTrue();
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Double> served = Exposition.parse(scrape.body());
        assertThat(served.get("devbox_agent_runs_total{command=\"watch\",result=\"success\"}")).isGreaterThanOrEqualTo(4.0);
        assertThat(served).containsEntry("devbox_agent_applied_commit_info{commit=\"" + next + "\"}", 1.0)
                .containsEntry("devbox_agent_resources{status=\"ok\"}", 2.0);

        SystemTests.Result second = agent("watch", "--once", "--boot-id-file", bootId.toString());
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.all()).contains("another agent watch is running");
        SystemTests.Result plan = agent("plan", "--lock-wait", "10");
        assertThat(plan.exitCode()).as("plan runs beside a sleeping watch\n" + plan.all()).isZero();

        d.signal("TERM");
        assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).as(d.output()).isTrue();
        assertThat(d.process().exitValue()).as(d.output()).isZero();
        assertThat(d.output()).contains("stopped (SIGTERM)");
        JsonNode watchState = json(Files.readString(state.resolve("watch.json")));
        assertThat(watchState.path("stopReason").asString()).isEqualTo("SIGTERM");
        assertThat(watchState.path("bootId").asString()).isEqualTo("22222222-bbbb");
        assertThat(watchState.path("commit").asString()).isEqualTo(next);

        Map<String, Double> file = Exposition.parse(Files.readString(state.resolve("metrics.prom")));
        assertThat(file.get("devbox_agent_runs_total{command=\"watch\",result=\"success\"}")).isGreaterThanOrEqualTo(4.0);
        assertThat(file).containsEntry("devbox_agent_runs_total{command=\"plan\",result=\"success\"}", 1.0)
                .containsEntry("devbox_agent_drifted_resources", 0.0)
                .containsEntry("devbox_agent_source_fetch_errors_total", 0.0);
        assertThat(file.get("devbox_agent_last_success_timestamp_seconds") * 1000).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(120_000.0));

        SystemTests.Result sigint = agent("watch", "--once", "--boot-id-file", bootId.toString());
        assertThat(sigint.exitCode()).as("the lock died with the stopped daemon\n" + sigint.all()).isZero();
    }

    @Test
    void overridesHoldOffCorrectionUntilTheyExpireWhileDriftIsCorrected() throws Exception {
        Daemon d = watch("--interval", "1s", "--drift-interval", "1s");
        await("the first cycle", Duration.ofSeconds(60), logHas(d, "cycle (start)", 1));

        SystemTests.Result set = agent("override", "sysctl[net.core.somaxconn]", "--for", "40s", "--reason", "load test by alice");
        assertThat(set.exitCode()).as(set.all()).isZero();
        Files.writeString(sys.resolve("net/core/somaxconn"), "3000\n");
        Files.writeString(sys.resolve("net/ipv4/tcp_fin_timeout"), "99\n");
        await("the drift corrected", Duration.ofSeconds(15), sysctlIs("net/ipv4/tcp_fin_timeout", "30"));
        assertThat(sysctl("net/core/somaxconn")).as("overridden: left alone").isEqualTo("3000");

        SystemTests.Result list = agent("override", "--list");
        await("a cycle that reports the override", Duration.ofSeconds(10), logHas(d, "1 override", 1));
        assertThat(list.stdout()).contains("sysctl[net.core.somaxconn]", "load test by alice");
        JsonNode status = json(agent("status", "--json").stdout());
        assertThat(status.path("overrides").get(0).path("reason").asString()).isEqualTo("load test by alice");

        JsonNode last = json(agent("drift", "--format", "json").stdout());
        assertThat(last.path("summary").path("override").asInt()).as(last.toString()).isEqualTo(1);
        SystemTests.Result drift = agent("drift", "--format", "markdown");
        assertThat(drift.stdout()).contains("### Overrides", "`sysctl[net.core.somaxconn]`", "load test by alice", "override until");

        await("the override expired and the value corrected", Duration.ofSeconds(60), sysctlIs("net/core/somaxconn", "1024"));
        assertThat(agent("override", "--list").stdout()).contains("No active overrides.");

        SystemTests.Result bad = agent("override", "somaxconn", "--for", "1h", "--reason", "x");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("not a resource id");
        assertThat(agent("override", "sysctl[a]", "--for", "1h").stderr()).contains("--reason");
        assertThat(agent("override", "sysctl[a]", "--for", "8 hours", "--reason", "x").stderr()).contains("is not a duration");
        assertThat(agent("override", "sysctl[a]", "--for", "1h", "--reason", "x").stderr())
                .as("an id neither the profiles nor the agent know").contains("no resource sysctl[a]");
        agent("override", "sysctl[net.core.somaxconn]", "--for", "1h", "--reason", "x");
        assertThat(agent("override", "--clear").stdout()).contains("Cleared the override of sysctl[net.core.somaxconn]");

        d.signal("INT");
        assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.process().exitValue()).isZero();
    }

    @Test
    void theConfigFileIsValidatedAndCommandLineOptionsWin() throws Exception {
        Path config = Files.writeString(tmp.resolve("agent.yaml"), """
                # a box of the backend team
                hostname: from-config
                mode: report
                labels: {team: backend}
                history: {keep: 2}
                metrics: {textfile: %s}
                """.formatted(tmp.resolve("textfile/devbox.prom")));
        List<String> base = List.of("--config", config.toString(), "--boot-id-file", bootId.toString());
        List<String> a = new ArrayList<>(List.of("watch", "--once"));
        a.addAll(base);
        SystemTests.Result report = SystemTests.run(argvNoHost(a), Map.of(), tmp, Duration.ofMinutes(2));
        assertThat(report.exitCode()).as("mode report from the config: planned, pending\n" + report.all()).isEqualTo(2);
        assertThat(sysctl("net/core/somaxconn")).isEqualTo("4096");
        assertThat(tmp.resolve("textfile/devbox.prom")).exists();
        a.addAll(List.of("--mode", "apply"));
        SystemTests.Result apply = SystemTests.run(argvNoHost(a), Map.of(), tmp, Duration.ofMinutes(2));
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(sysctl("net/core/somaxconn")).isEqualTo("1024");

        JsonNode plan = json(SystemTests.run(argvNoHost(List.of("plan", "--json", "--config", config.toString())), Map.of(), tmp,
                Duration.ofMinutes(2)).stdout());
        assertThat(plan.path("host").path("hostname").asString()).isEqualTo("from-config");
        JsonNode planCli = json(SystemTests.run(argvNoHost(List.of("plan", "--json", "--config", config.toString(), "--hostname", "cli-name")),
                Map.of(), tmp, Duration.ofMinutes(2)).stdout());
        assertThat(planCli.path("host").path("hostname").asString()).isEqualTo("cli-name");
        assertThat(agent("history", "--json", "--config", config.toString()).stdout()).satisfies(h ->
                assertThat(json(h).path("runs")).as("history.keep: 2").hasSize(2));

        Files.writeString(config, "hostname: x\ninterval: soon\nmetrics: {address: 'nohost'}\n");
        SystemTests.Result bad = SystemTests.run(argvNoHost(List.of("plan", "--config", config.toString())), Map.of(), tmp, Duration.ofMinutes(2));
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains(config + ":2:11: interval: must be a duration", config + ":3:20: metrics.address: must be HOST:PORT",
                "2 errors in the agent config");
        assertThat(bad.all()).doesNotContain("Exception");

        SystemTests.Result remote = agent("watch", "--once", "--metrics-address", "0.0.0.0:0", "--boot-id-file", bootId.toString());
        assertThat(remote.exitCode()).isEqualTo(1);
        assertThat(remote.stderr()).contains("not a loopback address");
    }

    private List<String> argvNoHost(List<String> args) {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(args);
        argv.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--sysctl-dir", sys.toString(),
                "--state-dir", state.toString(), "--no-color"));
        return argv;
    }
}
