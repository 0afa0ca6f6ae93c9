package io.devbox.agent.hardening;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 45 MB blob pushed into the profile repository, against the watch daemon of the built jar with the launcher's
 * daemon heap (64 MB): the commit is refused as invalid, the daemon keeps the last good commit and records why, and
 * follows the next good commit; it never dies of it.
 */
class BigBlobSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What agent/bin/agent gives `agent watch`. */
    private static final List<String> DAEMON_HEAP = List.of("-Xms4m", "-Xmx64m", "-Xmn4m", "-Xss256k",
            "-XX:ReservedCodeCacheSize=8m", "-XX:MaxMetaspaceSize=64m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
            "-XX:CICompilerCount=1");

    @TempDir
    Path tmp;
    Path work;
    Path bare;
    Path root;
    Path sys;
    Path state;
    Process daemon;
    Path log;

    @BeforeEach
    void repo() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        work = GitRepos.init(tmp.resolve("work"));
        bare = tmp.resolve("fleet.git");
        SystemTests.sh(List.of("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString()));
        root = Sandbox.box(tmp.resolve("box"));
        sys = root.resolve("proc/sys");
        state = tmp.resolve("state");
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String push(String somaxconn, String message) throws Exception {
        String id = GitRepos.commitFile(work, "profiles/base.yaml", String.format(HostileCase.HEADER, "base")
                + "spec:\n  sysctl:\n    net.core.somaxconn: " + somaxconn + "\n", message);
        SystemTests.sh(List.of("git", "-C", work.toString(), "push", "-q", bare.toString(), "HEAD:refs/heads/main"));
        return id;
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + ":\n" + output());
            assertThat(daemon.isAlive()).as("the daemon died:\n" + output()).isTrue();
            Thread.sleep(200);
        }
    }

    private String kernel() throws IOException {
        return Files.readString(sys.resolve("net/core/somaxconn")).strip();
    }

    @Test
    void aHugeBlobIsAnInvalidCommitNotTheDaemonsEnd() throws Exception {
        String good = push("1024", "good");
        List<String> argv = new ArrayList<>();
        argv.add(SystemTests.agentCommand().get(0));
        argv.addAll(DAEMON_HEAP);
        argv.addAll(SystemTests.agentCommand().subList(1, SystemTests.agentCommand().size()));
        argv.addAll(List.of("watch", "--interval", "1s", "--drift-interval", "1h", "--repo", bare.toUri().toString(),
                "--root", root.toString(), "--sysctl-dir", sys.toString(), "--state-dir", state.toString(), "--hostname", "dev-1",
                "--no-color", "--boot-id-file", Files.writeString(tmp.resolve("boot_id"), "b\n").toString()));
        log = tmp.resolve("watch.log");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        daemon = pb.start();
        await("the good commit applied", Duration.ofMinutes(1), () -> kernel().equals("1024"));

        // 45 MB of incompressible bytes as a profile (files a profile refers to: TreeBlobsTest)
        Random random = new Random(45);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(work.resolve("profiles/big.yaml"))) {
            for (int i = 0; i < 45; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        String bad = push("2048", "a 45 MB blob");
        await("the refused commit recorded", Duration.ofMinutes(3), () -> Files.exists(state.resolve("source.json"))
                && bad.equals(JSON.readTree(Files.readString(state.resolve("source.json"))).path("badCommit").asString("")));

        JsonNode source = JSON.readTree(Files.readString(state.resolve("source.json")));
        assertThat(source.path("commit").asString()).as("the last good commit is kept").isEqualTo(good);
        assertThat(source.path("error").asString()).isEqualTo("commit " + bad.substring(0, 7) + " is invalid: 1 error in the profiles");
        assertThat(source.path("badCommitErrors").get(0).asString())
                .isEqualTo("profiles/big.yaml:1:1: file is 47185920 bytes; profiles may be at most 1048576 bytes (1 MiB)");
        assertThat(kernel()).isEqualTo("1024");
        assertThat(daemon.isAlive()).isTrue();
        assertThat(output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");

        // the next good commit is followed by the same daemon
        Files.delete(work.resolve("profiles/big.yaml"));
        String fixed = push("4096", "without the blob");
        await("the next good commit applied", Duration.ofMinutes(2), () -> kernel().equals("4096"));
        assertThat(JSON.readTree(Files.readString(state.resolve("source.json"))).path("commit").asString()).isEqualTo(fixed);
        assertThat(output()).doesNotContain("OutOfMemoryError");
    }
}
