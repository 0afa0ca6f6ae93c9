package io.devbox.agent.source;

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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built agent against real git remotes (TESTING.md "Git"): a bare repository served by a real git daemon on
 * loopback, and file:// URLs. The box is a --root sandbox with --sysctl-dir pointing at a fake kernel tree in a
 * temp dir, so nothing on this machine changes.
 */
class GitOpsSourceSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;
    Path work;
    Path bare;
    Path sys;

    @BeforeEach
    void setUp() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        work = GitRepos.init(tmp.resolve("work"));
        GitRepos.git(work, "checkout", "-q", "-b", "main");
        commitProfile("4096", "first");
        bare = tmp.resolve("srv/fleet.git");
        Files.createDirectories(bare.getParent());
        SystemTests.sh(List.of("git", "clone", "-q", "--bare", work.toString(), bare.toString()));
        sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("net/core"));
        Files.writeString(sys.resolve("net/core/somaxconn"), "128\n");
    }

    private String commitProfile(String somaxconn, String message) throws Exception {
        return GitRepos.commitFile(work, "profiles/base.yaml", """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: base}
                spec:
                  sysctl:
                    net.core.somaxconn: %s
                """.formatted(somaxconn), message);
    }

    private void push(boolean force) throws Exception {
        if (force) GitRepos.git(work, "push", "-q", "--force", bare.toString(), "main");
        else GitRepos.git(work, "push", "-q", bare.toString(), "main");
    }

    private SystemTests.Result agent(String url, Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", url, "--root", tmp.resolve("root").toString(), "--sysctl-dir", sys.toString(),
                "--state-dir", state.toString(), "--hostname", "dev-1", "--no-color"));
        return SystemTests.run(argv, Map.of("HOME", tmp.toString()), tmp, Duration.ofMinutes(2));
    }

    private static JsonNode json(SystemTests.Result r) {
        return JSON.readTree(r.stdout());
    }

    private String kernel() throws Exception {
        return Files.readString(sys.resolve("net/core/somaxconn")).strip();
    }

    private static JsonNode sourceState(Path state) throws Exception {
        return JSON.readTree(Files.readAllBytes(state.resolve("source.json")));
    }

    @Test
    void followsTheRemoteThroughNewCommitsOutagesBadCommitsAndForcePushes() throws Exception {
        Path state = tmp.resolve("state");
        try (GitDaemon daemon = new GitDaemon(tmp.resolve("srv")).start()) {
            String url = daemon.url("fleet.git");
            SystemTests.Result r = agent(url, state, "apply", "--yes", "--json");
            assertThat(r.exitCode()).as(r.all()).isZero();
            String first = GitRepos.git(work, "rev-parse", "HEAD");
            assertThat(json(r).path("source").path("commit").asString()).isEqualTo(first);
            assertThat(kernel()).isEqualTo("4096");
            assertThat(Files.isDirectory(state.resolve("git"))).isTrue();

            // a new commit is picked up by the next run
            String second = commitProfile("8192", "second");
            push(false);
            r = agent(url, state, "apply", "--yes", "--json");
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(json(r).path("source").path("commit").asString()).isEqualTo(second);
            assertThat(kernel()).isEqualTo("8192");
            assertThat(sourceState(state).path("commit").asString()).isEqualTo(second);

            // the daemon stops: the last good commit is kept, the error and staleness recorded, drift still corrected
            daemon.stop();
            Files.writeString(sys.resolve("net/core/somaxconn"), "100\n");
            r = agent(url, state, "apply", "--yes", "--json");
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            JsonNode doc = json(r);
            assertThat(doc.path("source").path("commit").asString()).isEqualTo(second);
            assertThat(doc.path("source").path("error").asString()).contains("cannot fetch");
            assertThat(doc.path("source").path("fetchedAt").isNull()).isFalse();
            assertThat(doc.path("errors").get(0).path("message").asString()).contains("source unreachable").contains("last good commit");
            assertThat(doc.path("errors").get(0).path("file").isNull()).as("a run error is not located").isTrue();
            assertThat(kernel()).isEqualTo("8192");
            JsonNode st = sourceState(state);
            assertThat(st.path("error").asString()).contains("cannot fetch");
            assertThat(st.path("commit").asString()).isEqualTo(second);

            // back up: a bad commit after a good one is not applied; the box stays on the good one
            daemon.start();
            Files.writeString(work.resolve("profiles/base.yaml"), "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\nspec:\n  sysctl:\n    net.core.somaxconn: [oops\n");
            GitRepos.git(work, "commit", "-q", "-am", "bad");
            String bad = GitRepos.git(work, "rev-parse", "HEAD");
            push(false);
            r = agent(url, state, "apply", "--yes", "--json");
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            doc = json(r);
            assertThat(doc.path("source").path("commit").asString()).isEqualTo(second);
            assertThat(doc.path("source").path("badCommit").asString()).isEqualTo(bad);
            assertThat(doc.path("source").path("badCommitErrors").get(0).asString()).startsWith("profiles/base.yaml:7:1: YAML syntax error");
            assertThat(kernel()).isEqualTo("8192");
            st = sourceState(state);
            assertThat(st.path("badCommit").asString()).isEqualTo(bad);
            assertThat(st.path("commit").asString()).isEqualTo(second);

            // force-push: history rewritten to a commit that does not descend from the last good one
            GitRepos.git(work, "reset", "-q", "--hard", first);
            String rewritten = commitProfile("2048", "rewritten");
            push(true);
            r = agent(url, state, "apply", "--yes", "--json", "--require-fast-forward");
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            assertThat(json(r).path("source").path("commit").asString()).isEqualTo(second);
            assertThat(json(r).path("source").path("error").asString()).contains("force-push refused");
            assertThat(kernel()).isEqualTo("8192");
            assertThat(sourceState(state).path("forcePush").path("followed").asBoolean()).isFalse();

            r = agent(url, state, "apply", "--yes", "--json");
            assertThat(r.exitCode()).as(r.all()).isZero();
            doc = json(r);
            assertThat(doc.path("source").path("commit").asString()).isEqualTo(rewritten);
            assertThat(doc.path("source").path("notes").get(0).asString()).contains("force-push followed");
            assertThat(kernel()).isEqualTo("2048");
            st = sourceState(state);
            assertThat(st.path("forcePush").path("from").asString()).isEqualTo(second);
            assertThat(st.path("forcePush").path("to").asString()).isEqualTo(rewritten);
            assertThat(st.path("forcePush").path("followed").asBoolean()).isTrue();
            assertThat(st.path("badCommit").isNull()).isTrue();
        }
    }

    @Test
    void aCorruptedCacheCloneIsDetectedAndClonedAgain() throws Exception {
        Path state = tmp.resolve("state");
        String url = bare.toUri().toString();
        assertThat(url).startsWith("file:");
        SystemTests.Result r = agent(url, state, "plan", "--json");
        assertThat(r.exitCode()).as(r.all()).isZero();
        Path cache;
        try (Stream<Path> s = Files.list(state.resolve("git"))) {
            cache = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        // deleted objects
        try (Stream<Path> s = Files.walk(cache.resolve("objects"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) Files.delete(p);
        }
        r = agent(url, state, "apply", "--yes", "--json");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(json(r).path("source").path("notes").toString()).contains("damaged");
        assertThat(kernel()).isEqualTo("4096");

        // garbage in HEAD and packed-refs
        Files.writeString(cache.resolve("HEAD"), "garbage\n");
        Files.writeString(cache.resolve("packed-refs"), "this is not\na packed-refs file\n");
        r = agent(url, state, "plan", "--json");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(json(r).path("source").path("notes").toString()).contains("damaged");
        assertThat(Files.readString(cache.resolve("HEAD"))).startsWith("ref: ");
    }

    /** What a run killed (kill -9, OOM, power loss) while its fetch updated the cache clone's refs leaves behind. */
    @Test
    void lockFilesOfAKilledRunAreRemovedAndTheNewCommitIsPlanned() throws Exception {
        Path state = tmp.resolve("state");
        String url = bare.toUri().toString();
        SystemTests.Result r = agent(url, state, "plan", "--json");
        assertThat(r.exitCode()).as(r.all()).isZero();
        Path cache = cacheClone(state);
        Files.writeString(cache.resolve("refs/devbox/fetched.lock"), "");
        Files.writeString(cache.resolve("packed-refs.lock"), "");
        String second = commitProfile("8192", "second");
        push(false);

        r = agent(url, state, "plan", "--json");

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(json(r).path("source").path("commit").asString()).isEqualTo(second);
        assertThat(json(r).path("source").path("notes").toString())
                .contains("removed lock files an interrupted run left").contains("refs/devbox/fetched.lock").contains("packed-refs.lock");
        assertThat(cache.resolve("refs/devbox/fetched.lock")).doesNotExist();
        assertThat(cache.resolve("packed-refs.lock")).doesNotExist();
        assertThat(sourceState(state).path("head").asString()).isEqualTo(second);
    }

    /** A lock the agent cannot clear (here a directory of that name) fails the fetch: never the old commit as if new. */
    @Test
    void aFetchThatCannotMoveTheFetchedRefSaysSoAndKeepsTheLastGoodCommit() throws Exception {
        Path state = tmp.resolve("state");
        String url = bare.toUri().toString();
        String first = GitRepos.git(work, "rev-parse", "HEAD").strip();
        SystemTests.Result r = agent(url, state, "plan", "--json");
        assertThat(r.exitCode()).as(r.all()).isZero();
        Path cache = cacheClone(state);
        Files.createDirectories(cache.resolve("refs/devbox/fetched.lock/x"));
        commitProfile("8192", "second");
        push(false);

        r = agent(url, state, "plan", "--json");

        assertThat(r.exitCode()).as("an unusable fetch fails the run, as an unreachable source does\n" + r.all()).isEqualTo(1);
        assertThat(json(r).path("source").path("commit").asString()).as(r.all()).isEqualTo(first);
        assertThat(r.all()).contains("could not move refs/devbox/fetched (LOCK_FAILURE)");
        assertThat(sourceState(state).path("error").asString()).contains("could not move refs/devbox/fetched");
    }

    private static Path cacheClone(Path state) throws Exception {
        try (Stream<Path> s = Files.list(state.resolve("git"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void validateChecksTheRemoteHeadAndAFirstRunWithoutSourceChangesNothing() throws Exception {
        Path state = tmp.resolve("state");
        SystemTests.Result r = agent("git://127.0.0.1:1/nothing.git", state, "apply", "--yes");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("cannot fetch");
        assertThat(kernel()).isEqualTo("128");
        r = agent(bare.toUri().toString(), state, "validate");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("1 profile valid at " + GitRepos.git(work, "rev-parse", "--short=7", "HEAD"));
    }
}
