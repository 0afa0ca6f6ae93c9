package io.devbox.agent.fleet;

import io.devbox.agent.testing.GitDaemon;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boxes publish their run summaries as <hostname>.json on shard refs refs/devbox/reports/<xx> of a real git daemon;
 * `fleet` lists them, legacy per-box refs included, and a box's push migrates its own legacy ref.
 */
class FleetReportSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;
    Path work;
    Path bare;

    @BeforeEach
    void setUp() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        work = GitRepos.init(tmp.resolve("work"));
        GitRepos.git(work, "checkout", "-q", "-b", "main");
        GitRepos.commitFile(work, "profiles/base.yaml", "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\nspec:\n  sysctl:\n    net.core.somaxconn: 4096\n", "base");
        bare = tmp.resolve("srv/fleet.git");
        Files.createDirectories(bare.getParent());
        SystemTests.sh(List.of("git", "clone", "-q", "--bare", work.toString(), bare.toString()));
    }

    private SystemTests.Result agent(String url, String host, Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        Path hostSys = tmp.resolve("sys-" + host);
        if (!Files.exists(hostSys)) {
            Files.createDirectories(hostSys.resolve("net/core"));
            Files.writeString(hostSys.resolve("net/core/somaxconn"), "128\n");
        }
        argv.addAll(List.of("--repo", url, "--root", tmp.resolve("root-" + host).toString(), "--sysctl-dir", hostSys.toString(),
                "--state-dir", state.toString(), "--hostname", host, "--no-color"));
        return SystemTests.run(argv, Map.of("HOME", tmp.toString()), tmp, Duration.ofMinutes(3));
    }

    @Test
    void threeBoxesReportAndFleetListsThem() throws Exception {
        try (GitDaemon daemon = new GitDaemon(tmp.resolve("srv")).start()) {
            String url = daemon.url("fleet.git");
            String commit = GitRepos.git(work, "rev-parse", "HEAD");
            // dev-1 applies, dev-2 only plans (a pending change), dev-3 applies and then drifts
            assertThat(agent(url, "dev-1", tmp.resolve("s1"), "apply", "--yes").exitCode()).isZero();
            assertThat(agent(url, "dev-2", tmp.resolve("s2"), "plan").exitCode()).isZero();
            for (String host : List.of("dev-1", "dev-2")) {
                SystemTests.Result r = agent(url, host, tmp.resolve(host.equals("dev-1") ? "s1" : "s2"), "report", "push", "--json");
                assertThat(r.exitCode()).as(r.all()).isZero();
                assertThat(JSON.readTree(r.stdout()).path("ref").asString()).isEqualTo(ReportNames.shardRef(host));
            }
            Path sys3 = tmp.resolve("sys-dev-3");
            assertThat(agent(url, "dev-3", tmp.resolve("s3"), "apply", "--yes").exitCode()).isZero();
            Files.writeString(sys3.resolve("net/core/somaxconn"), "100\n");
            assertThat(agent(url, "dev-3", tmp.resolve("s3"), "drift").exitCode()).isEqualTo(2);
            SystemTests.Result r = agent(url, "dev-3", tmp.resolve("s3"), "report", "push");
            assertThat(r.exitCode()).as(r.all()).isZero();
            // a second push by dev-1 replaces its file in the shard commit it read
            String before = GitRepos.git(bare, "rev-parse", ReportNames.shardRef("dev-1"));
            SystemTests.Result again = agent(url, "dev-1", tmp.resolve("s1"), "report", "push", "--json");
            assertThat(JSON.readTree(again.stdout()).path("previous").asString()).isEqualTo(before);

            assertThat(GitRepos.git(bare, "for-each-ref", "--format=%(refname)", "refs/devbox/reports/").lines().toList())
                    .containsExactlyInAnyOrderElementsOf(Set.of(ReportNames.shardRef("dev-1"), ReportNames.shardRef("dev-2"),
                            ReportNames.shardRef("dev-3")));
            assertThat(GitRepos.git(bare, "ls-tree", "--name-only", ReportNames.shardRef("dev-1"))).contains("dev-1.json");
            // no history: a shard ref is one commit, whatever the number of pushes
            assertThat(GitRepos.git(bare, "rev-list", "--count", ReportNames.shardRef("dev-1"))).isEqualTo("1");

            // any box (here a fresh state dir) sees the whole fleet
            SystemTests.Result fleet = agent(url, "viewer", tmp.resolve("viewer"), "fleet", "--json");
            assertThat(fleet.exitCode()).as(fleet.all()).isZero();
            JsonNode hosts = JSON.readTree(fleet.stdout()).path("hosts");
            assertThat(hosts.size()).isEqualTo(3);
            assertThat(hosts.get(0).path("hostname").asString()).isEqualTo("dev-1");
            assertThat(hosts.get(0).path("commit").asString()).isEqualTo(commit);
            assertThat(hosts.get(0).path("summary").path("ok").asInt()).isEqualTo(1);
            assertThat(hosts.get(1).path("summary").path("change").asInt()).isEqualTo(1);
            assertThat(hosts.get(2).path("summary").path("drift").asInt()).isEqualTo(1);
            assertThat(hosts.get(2).path("drift").get(0).asString()).isEqualTo("sysctl[net.core.somaxconn]");
            assertThat(hosts.get(2).path("ageSeconds").asLong()).isBetween(0L, 300L);
            assertThat(hosts.get(2).path("status").asString()).isEqualTo("drift");
            assertThat(hosts.get(0).path("lag").asInt()).isZero();
            assertThat(JSON.readTree(fleet.stdout()).path("drift").get(0).path("boxes").asInt()).isEqualTo(1);
            // no values leave the box
            assertThat(fleet.stdout()).doesNotContain("4096").doesNotContain("\"100\"");

            SystemTests.Result table = agent(url, "viewer", tmp.resolve("viewer"), "fleet");
            assertThat(table.stdout()).contains("dev-1").contains("dev-2").contains("dev-3").contains("3 boxes");
        }
    }

    @Test
    void twentyConcurrentPushesToOneShardAllLand() throws Exception {
        // the server logs every ref update, so each push that reports success can be found in the shard's history
        GitRepos.git(bare, "config", "core.logAllRefUpdates", "always");
        try (GitDaemon daemon = new GitDaemon(tmp.resolve("srv")).start()) {
            String url = daemon.url("fleet.git");
            Path seed = tmp.resolve("seed");
            assertThat(agent(url, "shared", seed, "plan").exitCode()).isZero();
            Path record;
            try (var s = Files.list(seed.resolve("runs"))) {
                record = s.findFirst().orElseThrow();
            }
            // twenty agents with their own state dirs, all on the shard of "shared": ten report as "shared" itself,
            // ten as other hosts of that shard
            String shard = ReportNames.shard("shared");
            List<String> others = new ArrayList<>();
            for (int i = 0; others.size() < 10; i++) if (ReportNames.shard("box-" + i).equals(shard)) others.add("box-" + i);
            List<Path> states = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path st = tmp.resolve("st" + i);
                Files.createDirectories(st.resolve("runs"));
                Files.copy(record, st.resolve("runs").resolve(record.getFileName()));
                states.add(st);
            }
            ExecutorService pool = Executors.newFixedThreadPool(20);
            Set<String> commits = new HashSet<>();
            try {
                List<Future<SystemTests.Result>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String host = i < 10 ? "shared" : others.get(i - 10);
                    Path st = states.get(i);
                    results.add(pool.submit(() -> agent(url, host, st, "report", "push", "--json")));
                }
                for (Future<SystemTests.Result> f : results) {
                    SystemTests.Result r = f.get();
                    assertThat(r.exitCode()).as(r.all()).isZero();
                    assertThat(r.stdout()).as(r.all()).startsWith("{");
                    assertThat(JSON.readTree(r.stdout()).path("ref").asString()).isEqualTo("refs/devbox/reports/" + shard);
                    commits.add(JSON.readTree(r.stdout()).path("commit").asString());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(commits).hasSize(20);
            assertThat(GitRepos.git(bare, "for-each-ref", "--format=%(refname)", "refs/devbox/reports/").lines().toList())
                    .containsExactly("refs/devbox/reports/" + shard);
            // every push landed: each one moved the ref, and no host's file was lost on the way
            assertThat(GitRepos.git(bare, "reflog", "show", "--format=%H", "refs/devbox/reports/" + shard).lines().toList())
                    .containsAll(commits);
            List<String> files = GitRepos.git(bare, "ls-tree", "--name-only", "refs/devbox/reports/" + shard).lines().toList();
            List<String> expected = new ArrayList<>(others.stream().map(h -> h + ".json").toList());
            expected.add("shared.json");
            assertThat(files).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void legacyPerBoxRefsAreReadAndMigratedByTheBoxsNextPush() throws Exception {
        // two boxes that reported with an older agent: one commit holding report.json on refs/devbox/reports/<hostname>
        for (String host : List.of("dev-old", "dev-gone")) {
            Path legacy = GitRepos.init(tmp.resolve("legacy-" + host));
            GitRepos.commitFile(legacy, "report.json", "{\"formatVersion\": 1, \"hostname\": \"" + host + "\", "
                    + "\"reportedAt\": \"2026-01-01T00:00:00Z\", \"summary\": {\"ok\": 3, \"drift\": 1}, "
                    + "\"drift\": [\"sysctl[vm.swappiness]\"], \"source\": {\"commit\": null}}\n", "old report");
            GitRepos.git(legacy, "push", "-q", bare.toString(), "HEAD:refs/devbox/reports/" + host);
        }
        try (GitDaemon daemon = new GitDaemon(tmp.resolve("srv")).start()) {
            String url = daemon.url("fleet.git");
            JsonNode before = JSON.readTree(agent(url, "viewer", tmp.resolve("viewer"), "fleet", "--json").stdout());
            assertThat(before.path("hosts").size()).isEqualTo(2);
            assertThat(before.path("hosts").get(1).path("hostname").asString()).isEqualTo("dev-old");
            assertThat(before.path("hosts").get(1).path("legacy").asBoolean()).isTrue();
            assertThat(before.path("hosts").get(1).path("stale").asBoolean()).isTrue();
            assertThat(before.path("drift").get(0).path("id").asString()).isEqualTo("sysctl[vm.swappiness]");

            assertThat(agent(url, "dev-old", tmp.resolve("s-old"), "plan").exitCode()).isZero();
            SystemTests.Result push = agent(url, "dev-old", tmp.resolve("s-old"), "report", "push", "--json");
            assertThat(push.exitCode()).as(push.all()).isZero();

            // the box's legacy ref went with the push that put its report on the shard; the other box's stays
            assertThat(GitRepos.git(bare, "for-each-ref", "--format=%(refname)", "refs/devbox/reports/").lines().toList())
                    .containsExactlyInAnyOrder(ReportNames.shardRef("dev-old"), "refs/devbox/reports/dev-gone");
            JsonNode after = JSON.readTree(agent(url, "viewer", tmp.resolve("viewer"), "fleet", "--json").stdout());
            assertThat(after.path("hosts").size()).isEqualTo(2);
            JsonNode old = after.path("hosts").get(1);
            assertThat(old.path("hostname").asString()).isEqualTo("dev-old");
            assertThat(old.path("legacy").asBoolean()).isFalse();
            assertThat(old.path("stale").asBoolean()).isFalse();
            assertThat(old.path("summary").path("change").asInt()).isEqualTo(1);
            assertThat(after.path("hosts").get(0).path("legacy").asBoolean()).isTrue();
        }
    }
}
