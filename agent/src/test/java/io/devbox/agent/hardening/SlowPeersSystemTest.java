package io.devbox.agent.hardening;

import io.devbox.agent.kinds.go.GoLayout;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.Tarballs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow peers against the watch daemon of the built jar: a mirror that trickles one byte every 5 s fails the download
 * within the configured rate window and leaves both locks free while the daemon lives on; a metrics client that sends
 * {@code G} and stalls does not keep another scrape from being answered.
 */
class SlowPeersSystemTest {
    @TempDir
    Path tmp;
    LoopbackServer mirror;
    Path root;
    Path state;
    Path config;
    Path repo;
    Process daemon;
    Path log;

    @BeforeEach
    void box() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        mirror = new LoopbackServer();
        byte[] tarball = Tarballs.goToolchain("1.22.5").tarGz();
        String file = GoLayout.tarball("1.22.5");
        mirror.put("/dl/" + file, tarball);
        mirror.trickle("/dl/" + file, 5000);
        root = Sandbox.box(tmp.resolve("box"));
        state = tmp.resolve("state");
        config = tmp.resolve("agent.yaml");
        // a 3 s window: the trickle delivers a byte or two in it, far below the minimum
        Files.writeString(config, "download: {deadline: 10m, rateWindow: 3s, minBytesPerWindow: 1024}\n");
        repo = GitRepos.init(tmp.resolve("fleet"));
        GitRepos.commitFile(repo, "profiles/go.yaml", String.format(HostileCase.HEADER, "go") + """
                spec:
                  go:
                    versions: ["1.22.5"]
                    checksums: {"1.22.5": "%s"}
                    mirror: %s
                """.formatted(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball)), mirror.url("/dl/")),
                "go");
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        mirror.close();
    }

    private void startWatch() throws IOException {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of("watch", "--interval", "1h", "--drift-interval", "1h", "--metrics-address", "127.0.0.1:0",
                "--config", config.toString(), "--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "--user", "dev", "--no-color", "--boot-id-file", Files.writeString(tmp.resolve("boot_id"), "b\n").toString()));
        log = tmp.resolve("watch.log");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        daemon = pb.start();
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private void await(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for '" + text + "':\n" + output());
            assertThat(daemon.isAlive()).as(output()).isTrue();
            Thread.sleep(100);
        }
    }

    /** Whether another process could take the lock now (the daemon does not hold it). */
    private static boolean free(Path lockFile) throws IOException {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
            return l != null;
        }
    }

    @Test
    void aTricklingMirrorFailsWithinTheWindowAndBothLocksAreReleased() throws Exception {
        startWatch();
        await("cycle (start)", Duration.ofMinutes(1));
        String out = output();
        Matcher took = Pattern.compile("error \\(([0-9]+) ms, run").matcher(out);
        assertThat(took.find()).as(out).isTrue();
        // one 3 s window after the response started, a watchdog tick, a JVM on a loaded machine: far from "for ever"
        assertThat(Long.parseLong(took.group(1))).as(out).isLessThan(20_000);
        assertThat(out).containsPattern("x go\\[1\\.22\\.5\\]: apply .*download of http://127\\.0\\.0\\.1:[0-9]+/dl/go1\\.22\\.5\\.linux-[a-z0-9]+"
                + "\\.tar\\.gz is too slow: [0-9] bytes in the last 3 s, less than the minimum of 1024 \\(download minBytesPerWindow\\)");
        assertThat(daemon.isAlive()).isTrue();
        assertThat(free(state.resolve("lock"))).as("the run lock").isTrue();
        assertThat(free(root.resolve("run/devbox-agent.lock"))).as("the box lock").isTrue();
        try (var s = Files.list(root.resolve("usr/local/go-versions"))) {
            assertThat(s.toList()).as("no partial download left").isEmpty();
        }
    }

    @Test
    void aStalledMetricsClientDoesNotBlindTheScrape() throws Exception {
        mirror.heal("/dl/" + GoLayout.tarball("1.22.5"));
        startWatch();
        await("serving metrics on", Duration.ofMinutes(1));
        Matcher m = Pattern.compile("serving metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(output());
        assertThat(m.find()).isTrue();
        int port = Integer.parseInt(m.group(1));
        await("cycle (start)", Duration.ofMinutes(1));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(4)).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).as("a first scrape").isEqualTo(200);
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), port)) {
            stalled.getOutputStream().write('G');
            stalled.getOutputStream().flush();
            long t0 = System.nanoTime();
            HttpResponse<String> scrape = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("devbox_agent_");
            // well within the stalled client's 5 s read timeout: another worker answered
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            // the server gives up on the stalled client after its read timeout
            stalled.setSoTimeout(15_000);
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
        }
    }
}
