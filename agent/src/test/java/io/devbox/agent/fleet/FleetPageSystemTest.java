package io.devbox.agent.fleet;

import io.devbox.agent.testing.GitDaemon;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.HeadlessChromium;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done when of the fleet page: three real {@code agent watch} daemons on sandboxed boxes publish their reports on
 * change to a real {@code git daemon}; {@code agent fleet --html} builds the page, and headless Chromium shows it:
 * the three boxes with the right counts, a resource drifting on 2 of 3 boxes, filters that narrow the list, and a
 * hostile hostname and override reason rendered as text. The page and its screenshot are kept under target/.
 */
class FleetPageSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HOSTILE = "dev-3<script>window.pwned=1</script>";
    private static final String HOSTILE_REASON = "<img src=x onerror=\"window.pwned=2\"> profiling";
    private static final Pattern PUSHES = Pattern.compile("devbox_agent_report_push_total\\{result=\"success\"} (\\d+)");

    @TempDir
    Path tmp;
    private final List<Process> daemons = new ArrayList<>();

    private record Box(String host, String mode, Map<String, String> labels, Path dir) {
        Path sys() {
            return dir.resolve("sys");
        }

        Path state() {
            return dir.resolve("state");
        }
    }

    @AfterEach
    void stopDaemons() throws Exception {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void threeDaemonsPublishAndThePageShowsTheFleet() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        Path work = GitRepos.init(tmp.resolve("work"));
        GitRepos.git(work, "checkout", "-q", "-b", "main");
        GitRepos.commitFile(work, "profiles/base.yaml", """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: base}
                spec:
                  sysctl:
                    net.core.somaxconn: 4096
                    net.ipv4.tcp_fin_timeout: 15
                    vm.swappiness: 10
                  systemd:
                    units:
                      demo.service: {enabled: true, state: started}
                """, "base profile");
        Path bare = tmp.resolve("srv/fleet.git");
        Files.createDirectories(bare.getParent());
        SystemTests.sh(List.of("git", "clone", "-q", "--bare", work.toString(), bare.toString()));

        Box one = box("dev-1", "apply", Map.of("team", "backend", "site", "berlin"));
        Box two = box("dev-2", "report", Map.of("team", "frontend", "site", "berlin"));
        Box three = box(HOSTILE, "report", Map.of("team", "backend", "site", "paris"));
        viewer = box("viewer", "report", Map.of());
        try (GitDaemon git = new GitDaemon(tmp.resolve("srv")).start()) {
            String url = git.url("fleet.git");
            // dev-2 and dev-3 were converged before; dev-3 has since drifted, lost a key and got an override
            for (Box b : List.of(two, three)) {
                SystemTests.Result r = agent(url, b, "apply", "--yes");
                assertThat(r.exitCode()).as(r.all()).isZero();
            }
            Files.writeString(three.sys().resolve("net/core/somaxconn"), "100\n");
            Files.delete(three.sys().resolve("net/ipv4/tcp_fin_timeout"));
            SystemTests.Result o = agent(url, three, "override", "sysctl[vm.swappiness]", "--for", "8h", "--reason", HOSTILE_REASON);
            assertThat(o.exitCode()).as(o.all()).isZero();

            for (Box b : List.of(one, two, three)) watch(url, b);
            JsonNode fleet = awaitFleet(url, "all three boxes report", f -> status(f, "dev-1").equals("ok")
                    && status(f, "dev-2").equals("ok") && status(f, HOSTILE).equals("error"));
            assertThat(host(fleet, HOSTILE).path("summary").path("drift").asInt()).isEqualTo(1);

            // a change on a box reaches the fleet through its daemon's next cycle: dev-2 drifts too
            Files.writeString(two.sys().resolve("net/core/somaxconn"), "100\n");
            awaitFleet(url, "dev-2's drift is published", f -> status(f, "dev-2").equals("drift"));

            // an unchanged box does not push again: cycles run every 2 s, the count stays
            long before = pushes(one);
            assertThat(before).isGreaterThanOrEqualTo(1);
            Thread.sleep(6000);
            assertThat(pushes(one)).isEqualTo(before);
            assertThat(Files.readString(one.dir().resolve("watch.log"))).contains("report pushed: refs/devbox/reports/"
                    + ReportNames.shard("dev-1"));

            for (Process p : daemons) p.destroy();
            for (Process p : daemons) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            // a new commit that only dev-1 has taken yet: the two others are one commit behind
            GitRepos.commitFile(work, "profiles/base.yaml", Files.readString(work.resolve("profiles/base.yaml"))
                    .replace("vm.swappiness: 10", "vm.swappiness: 20"), "swappiness 20");
            GitRepos.git(work, "push", "-q", bare.toString(), "main");
            for (String[] args : List.of(new String[]{"plan"}, new String[]{"report", "push"})) {
                SystemTests.Result r = agent(url, one, args);
                assertThat(r.exitCode()).as(r.all()).isIn(0, 2);
            }

            Path page = tmp.resolve("fleet.html");
            SystemTests.Result html = agent(url, viewer, "fleet", "--html", page.toString());
            assertThat(html.exitCode()).as(html.all()).isZero();
            Path kept = Path.of("target", "fleet-page-system-test.html").toAbsolutePath();
            Files.createDirectories(kept.getParent());
            Files.copy(page, kept, StandardCopyOption.REPLACE_EXISTING);
            checkPage(page, Path.of("target", "fleet-page-system-test.png").toAbsolutePath());
        }
    }

    private void checkPage(Path page, Path screenshot) throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            chromium.call("Log.enable", Map.of());
            chromium.open(page);
            chromium.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);

            JsonNode rows = chromium.eval("""
                    Array.from(document.querySelectorAll('#hosts tbody tr')).map(r => ({
                      host: r.querySelector('td.host').textContent,
                      drift: r.querySelector('td.drift').textContent, errors: r.querySelector('td.errors').textContent,
                      overrides: r.querySelector('td.overrides').textContent, skipped: r.querySelector('td.skipped').textContent,
                      lag: r.querySelector('td.lag').textContent, status: r.dataset.status}))""");
            Map<String, String> counts = new LinkedHashMap<>();
            for (JsonNode r : rows) {
                counts.put(r.path("host").asString(), r.path("drift").asString() + "/" + r.path("errors").asString() + "/"
                        + r.path("overrides").asString() + "/" + r.path("skipped").asString() + " lag " + r.path("lag").asString());
            }
            // drift / errors / overrides / skipped: the hostile name is there as the text it is
            assertThat(counts).containsOnly(
                    Map.entry("dev-1", "0/0/0/1 lag 0"),
                    Map.entry("dev-2", "1/0/0/1 lag 1"),
                    Map.entry(HOSTILE, "1/1/1/1 lag 1"));
            // the rollout chart: one box on the head commit, two on the one before
            JsonNode rollout = chromium.eval("Array.from(document.querySelectorAll('#rollout-chart g.commit'))"
                    + ".map(g => g.querySelector('text').textContent + '=' + g.dataset.boxes)");
            assertThat(rollout.get(0).asString()).contains("swappiness 20").endsWith("=1");
            assertThat(rollout.get(1).asString()).contains("base profile").endsWith("=2");

            JsonNode drift = chromium.eval("""
                    Array.from(document.querySelectorAll('#drift tr')).map(r =>
                      r.querySelector('td.resource').textContent + ': ' + r.querySelector('td.count').textContent)""");
            assertThat(drift.get(0).asString()).isEqualTo("sysctl[net.core.somaxconn]: 2 of 3 boxes");

            // nothing from a report ran: no element, no script, no handler of its own
            assertThat(chromium.eval("typeof window.pwned").asString()).isEqualTo("undefined");
            assertThat(chromium.eval("document.scripts.length").asInt()).isEqualTo(1);
            assertThat(chromium.eval("document.querySelectorAll('img').length").asInt()).isZero();
            assertThat(chromium.eval("document.body.textContent.includes(" + JSON.writeValueAsString(HOSTILE_REASON) + ")")
                    .asBoolean()).isTrue();

            assertThat(visibleAfter(chromium, "f-label", "team=frontend", "change")).containsExactly("dev-2");
            assertThat(chromium.eval("document.getElementById('shown').textContent").asString()).isEqualTo("1 of 3 boxes");
            assertThat(visibleAfter(chromium, "f-label", "", "change")).hasSize(3);
            assertThat(visibleAfter(chromium, "f-status", "drift", "change")).containsExactlyInAnyOrder("dev-2", HOSTILE);
            assertThat(visibleAfter(chromium, "f-label", "site=berlin", "change")).containsExactly("dev-2");
            assertThat(visibleAfter(chromium, "f-status", "error", "change")).isEmpty();
            assertThat(visibleAfter(chromium, "f-label", "", "change")).containsExactly(HOSTILE);
            assertThat(visibleAfter(chromium, "f-status", "", "change")).hasSize(3);
            assertThat(visibleAfter(chromium, "f-host", "dev-3", "input")).containsExactly(HOSTILE);

            // the page asked for nothing but itself, and nothing was refused or thrown on it
            assertThat(chromium.requestedUrls()).containsExactly(page.toUri().toString());
            assertThat(chromium.consoleMessages()).isEmpty();
        }
    }

    /** Sets a filter control, fires its event, and returns the hosts of the rows left visible. */
    private static List<String> visibleAfter(HeadlessChromium chromium, String control, String value, String event) throws Exception {
        JsonNode hosts = chromium.eval("""
                (() => { const c = document.getElementById('%s'); c.value = %s; c.dispatchEvent(new Event('%s'));
                  return Array.from(document.querySelectorAll('#hosts tbody tr')).filter(r => !r.hidden)
                    .map(r => r.querySelector('td.host').textContent); })()"""
                .formatted(control, JSON.writeValueAsString(value), event));
        List<String> out = new ArrayList<>();
        hosts.forEach(h -> out.add(h.asString()));
        return out;
    }

    private Box box(String host, String mode, Map<String, String> labels) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("box-" + (boxes++)));
        Box b = new Box(host, mode, labels, dir);
        Files.createDirectories(b.sys().resolve("net/core"));
        Files.createDirectories(b.sys().resolve("net/ipv4"));
        Files.createDirectories(b.sys().resolve("vm"));
        Files.writeString(b.sys().resolve("net/core/somaxconn"), "128\n");
        Files.writeString(b.sys().resolve("net/ipv4/tcp_fin_timeout"), "60\n");
        Files.writeString(b.sys().resolve("vm/swappiness"), "60\n");
        Files.createDirectories(dir.resolve("root"));
        Files.writeString(dir.resolve("boot_id"), "boot-" + boxes + "\n");
        StringBuilder config = new StringBuilder("report:\n  push: on-change\n  heartbeat: 1h\n");
        if (!labels.isEmpty()) config.append("labels:\n");
        labels.forEach((k, v) -> config.append("  ").append(k).append(": ").append(v).append('\n'));
        Files.writeString(dir.resolve("agent.yaml"), config.toString());
        return b;
    }

    private int boxes;
    private Box viewer;

    private List<String> argv(String url, Box b, String... args) {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--config", b.dir().resolve("agent.yaml").toString(), "--repo", url, "--root",
                b.dir().resolve("root").toString(), "--sysctl-dir", b.sys().toString(), "--state-dir", b.state().toString(),
                "--hostname", b.host(), "--no-color"));
        return argv;
    }

    private SystemTests.Result agent(String url, Box b, String... args) throws Exception {
        return SystemTests.run(argv(url, b, args), Map.of("HOME", tmp.toString()), tmp, Duration.ofMinutes(2));
    }

    private void watch(String url, Box b) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv(url, b, "watch", "--interval", "1s", "--drift-interval", "2s", "--mode",
                b.mode(), "--boot-id-file", b.dir().resolve("boot_id").toString()))
                .redirectErrorStream(true).redirectOutput(b.dir().resolve("watch.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", tmp.toString());
        daemons.add(pb.start());
    }

    private interface FleetCheck {
        boolean ok(JsonNode fleet);
    }

    private JsonNode awaitFleet(String url, String what, FleetCheck check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            SystemTests.Result r = agent(url, viewer, "fleet", "--json");
            if (r.exitCode() == 0) {
                JsonNode f = JSON.readTree(r.stdout());
                last = r.stdout();
                if (f.path("hosts").size() == 3 && check.ok(f)) return f;
            } else {
                last = r.all();
            }
            Thread.sleep(1000);
        }
        StringBuilder logs = new StringBuilder();
        for (Path log : List.of(tmp.resolve("box-0/watch.log"), tmp.resolve("box-1/watch.log"), tmp.resolve("box-2/watch.log"))) {
            if (Files.exists(log)) logs.append(log).append(":\n").append(Files.readString(log, StandardCharsets.UTF_8));
        }
        throw new AssertionError("timed out waiting until " + what + "; last fleet:\n" + last + "\n" + logs);
    }

    private static String status(JsonNode fleet, String host) {
        return host(fleet, host).path("status").asString("");
    }

    private static JsonNode host(JsonNode fleet, String host) {
        for (JsonNode h : fleet.path("hosts")) if (h.path("hostname").asString("").equals(host)) return h;
        return JSON.createObjectNode();
    }

    private static long pushes(Box b) throws Exception {
        Path prom = b.state().resolve("metrics.prom");
        if (!Files.exists(prom)) return 0;
        Matcher m = PUSHES.matcher(Files.readString(prom));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
