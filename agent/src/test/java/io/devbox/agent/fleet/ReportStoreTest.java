package io.devbox.agent.fleet;

import io.devbox.agent.source.SourceException;
import io.devbox.agent.testing.GitRepos;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shard layout in a local repository (written directly, with the same compare-and-swap as a remote). */
class ReportStoreTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void repository() throws Exception {
        repo = GitRepos.init(tmp.resolve("fleet"));
        GitRepos.commitFile(repo, "profiles/base.yaml", "apiVersion: devbox/v1\n", "first");
    }

    private JsonNode run(String commit, String... drift) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", "r-" + commit);
        r.putObject("source").put("commit", commit);
        var resources = r.putArray("resources");
        for (String d : drift) resources.addObject().put("id", d).put("status", "drift");
        r.putObject("summary").put("ok", 2).put("drift", drift.length);
        return r;
    }

    private ReportPusher.Pushed push(String host, JsonNode run) throws Exception {
        return new ReportPusher(repo.toString(), tmp, tmp.resolve("state"), CredentialsProvider.getDefault(), CLOCK,
                Duration.ofSeconds(30)).push(host, Map.of("team", "t"), List.of(), run, "test");
    }

    private JsonNode fleet() throws Exception {
        return Fleet.read(new Fleet.Where(repo.toString(), null, tmp, tmp.resolve("state"), CredentialsProvider.getDefault()),
                CLOCK, Duration.ofSeconds(30), Duration.ofHours(1));
    }

    @Test
    void eachHostReplacesOnlyItsOwnFileInItsShard() throws Exception {
        String head = GitRepos.git(repo, "rev-parse", "HEAD");
        String shard = ReportNames.shard("a-0");
        String other = null;
        for (int i = 1; other == null; i++) if (ReportNames.shard("a-" + i).equals(shard)) other = "a-" + i;
        ReportPusher.Pushed first = push("a-0", run(head));
        ReportPusher.Pushed second = push(other, run(head, "sysctl[x]"));
        ReportPusher.Pushed third = push("a-0", run(head, "sysctl[x]"));
        assertThat(first.previous()).isNull();
        assertThat(second.previous()).isEqualTo(first.commit());
        assertThat(third.previous()).isEqualTo(second.commit());
        assertThat(GitRepos.git(repo, "ls-tree", "--name-only", ReportNames.PREFIX + shard).lines())
                .containsExactlyInAnyOrder("a-0.json", other + ".json");
        assertThat(GitRepos.git(repo, "rev-list", "--count", ReportNames.PREFIX + shard)).isEqualTo("1");

        JsonNode f = fleet();
        assertThat(f.path("hosts").size()).isEqualTo(2);
        assertThat(f.path("drift").get(0).path("id").asString()).isEqualTo("sysctl[x]");
        assertThat(f.path("drift").get(0).path("boxes").asInt()).isEqualTo(2);
        assertThat(f.path("hosts").get(0).path("labels").path("team").asString()).isEqualTo("t");
        assertThat(f.path("hosts").get(0).path("lag").asInt()).isZero();
        assertThat(f.path("rollout").path("commits").get(0).path("boxes").asInt()).isEqualTo(2);
    }

    @Test
    void aRefThatMovedSinceItWasReadIsNotOverwritten() throws Exception {
        String head = GitRepos.git(repo, "rev-parse", "HEAD");
        push("b-1", run(head));
        String shard = ReportNames.shard("b-1");
        try (ReportStore store = ReportStore.open(repo.toString(), tmp, tmp.resolve("state"), CredentialsProvider.getDefault(),
                Duration.ofSeconds(5))) {
            ObjectId base = store.fetchShard(shard, Duration.ofSeconds(5));
            ObjectId mine = store.writeShard(base, shard, "b-1", "{}".getBytes(StandardCharsets.UTF_8), CLOCK.instant());
            // another box lands first
            push("b-1", run(head, "sysctl[y]"));
            String now = GitRepos.git(repo, "rev-parse", ReportNames.PREFIX + shard);
            assertThat(store.update(shard, base, mine, "b-1", Duration.ofSeconds(5))).isEqualTo(ReportStore.Attempt.LOST_RACE);
            assertThat(GitRepos.git(repo, "rev-parse", ReportNames.PREFIX + shard)).isEqualTo(now);
            // built on the current value, it lands
            ObjectId current = store.fetchShard(shard, Duration.ofSeconds(5));
            ObjectId again = store.writeShard(current, shard, "b-1", "{}".getBytes(StandardCharsets.UTF_8), CLOCK.instant());
            assertThat(store.update(shard, current, again, "b-1", Duration.ofSeconds(5))).isEqualTo(ReportStore.Attempt.LANDED);
        }
    }

    @Test
    void legacyRefsAreReadAndMigratedIncludingOneNamedLikeAShard() throws Exception {
        String head = GitRepos.git(repo, "rev-parse", "HEAD");
        // old agents' reports: one ref per box holding report.json; "ab" is a hostname that names a shard too
        legacy("dev-old", "2026-12-01T09:00:00Z");
        legacy("ab", "2026-12-01T09:30:00Z");
        JsonNode before = fleet();
        assertThat(before.path("hosts").findValuesAsString("hostname")).containsExactly("ab", "dev-old");
        assertThat(before.path("hosts").get(0).path("legacy").asBoolean()).isTrue();

        push("dev-old", run(head));
        assertThat(GitRepos.git(repo, "for-each-ref", "--format=%(refname)", ReportNames.PREFIX).lines())
                .containsExactlyInAnyOrder(ReportNames.shardRef("dev-old"), ReportNames.PREFIX + "ab");

        String cohabitant = null;
        for (int i = 0; cohabitant == null; i++) if (ReportNames.shard("c-" + i).equals("ab")) cohabitant = "c-" + i;
        push(cohabitant, run(head));
        // the shard "ab" replaced the legacy report of host "ab" and keeps it as ab.json
        assertThat(GitRepos.git(repo, "ls-tree", "--name-only", ReportNames.PREFIX + "ab").lines())
                .containsExactlyInAnyOrder("ab.json", cohabitant + ".json");
        JsonNode after = fleet();
        assertThat(after.path("hosts").findValuesAsString("hostname")).containsExactly("ab", cohabitant, "dev-old");
        for (JsonNode h : after.path("hosts")) assertThat(h.path("legacy").asBoolean()).isFalse();
        assertThat(after.path("hosts").get(0).path("reportedAt").asString()).isEqualTo("2026-12-01T09:30:00Z");
    }

    @Test
    void unreadableAndOversizedReportsAreShownAsErrorsNotRead() throws Exception {
        String head = GitRepos.git(repo, "rev-parse", "HEAD");
        push("fine", run(head));
        try (Repository r = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
            String shard = ReportNames.shard("huge");
            ObjectId big = ReportTrees.writeShard(r, null, shard, "huge", new byte[ReportTrees.MAX_REPORT_BYTES + 1], CLOCK.instant());
            var u = r.updateRef(ReportNames.PREFIX + shard);
            u.setNewObjectId(big);
            u.update();
            String shard2 = ReportNames.shard("garbage");
            ObjectId bad = ReportTrees.writeShard(r, null, shard2, "garbage", "not json {".getBytes(StandardCharsets.UTF_8), CLOCK.instant());
            var u2 = r.updateRef(ReportNames.PREFIX + shard2);
            u2.setNewObjectId(bad);
            u2.update();
        }
        JsonNode f = fleet();
        assertThat(f.path("hosts").findValuesAsString("hostname")).containsExactly("fine", "garbage", "huge");
        assertThat(f.path("hosts").get(1).path("error").asString()).isEqualTo("unreadable report");
        assertThat(f.path("hosts").get(2).path("error").asString()).contains("at most 1048576 are read");
        assertThat(f.path("hosts").get(2).path("status").asString()).isEqualTo("error");
    }

    @Test
    void aHostnameThatCannotNameAReportIsRefused() {
        assertThatThrownBy(() -> push("bad\nname", run("x"))).isInstanceOf(SourceException.class)
                .hasMessageContaining("control character");
    }

    private void legacy(String host, String at) throws Exception {
        try (Repository r = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
             var ins = r.newObjectInserter()) {
            byte[] json = ("{\"formatVersion\": 1, \"hostname\": \"" + host + "\", \"reportedAt\": \"" + at + "\", "
                    + "\"summary\": {\"ok\": 1}}").getBytes(StandardCharsets.UTF_8);
            var tree = new org.eclipse.jgit.lib.TreeFormatter();
            tree.append(ReportNames.LEGACY_FILE, org.eclipse.jgit.lib.FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, json));
            var c = new org.eclipse.jgit.lib.CommitBuilder();
            c.setTreeId(ins.insert(tree));
            var who = new org.eclipse.jgit.lib.PersonIdent("old agent", "old@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("devbox report " + host);
            ObjectId id = ins.insert(c);
            ins.flush();
            var u = r.updateRef(ReportNames.PREFIX + host);
            u.setNewObjectId(id);
            u.update();
        }
        assertThat(Files.exists(repo.resolve(".git"))).isTrue();
    }
}
