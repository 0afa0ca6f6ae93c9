package io.devbox.agent.host;

import io.devbox.agent.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DownloaderTest {
    @TempDir
    Path tmp;
    LoopbackServer server;
    final byte[] payload = "0123456789".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    final Downloader downloader = new Downloader(HttpClient.newHttpClient(), Duration.ofMillis(800), null);

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackServer();
        server.put("/f.bin", payload);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void downloadsOverHttpHashingAsItGoes() throws Exception {
        Downloader.Fetched f = downloader.fetchVerified(server.url("/f.bin"), tmp.resolve("t"), 10_000_000, sha(payload).toUpperCase());
        assertThat(f.sha256()).isEqualTo(sha(payload));
        assertThat(f.size()).isEqualTo(payload.length);
        assertThat(Files.readAllBytes(f.file())).isEqualTo(payload);
        assertThat(f.file().getFileName().toString()).startsWith(AtomicFiles.TEMP_PREFIX);
    }

    @Test
    void checksumMismatchNamesBothSumsAndLeavesNothing() throws Exception {
        String wrong = "ab".repeat(32);
        assertThatThrownBy(() -> downloader.fetchVerified(server.url("/f.bin"), tmp, 10_000_000, wrong))
                .isInstanceOfSatisfying(Downloader.ChecksumMismatch.class, e -> {
                    assertThat(e.expected()).isEqualTo(wrong);
                    assertThat(e.getMessage()).contains(wrong).contains(e.actual());
                });
        assertThat(filesIn(tmp)).isZero();
    }

    @Test
    void serverDyingMidDownloadFailsAndLeavesNothing() throws Exception {
        server.dieAfter("/f.bin", 300_000);
        assertThatThrownBy(() -> downloader.fetch(server.url("/f.bin"), tmp, 10_000_000))
                .isInstanceOf(IOException.class).hasMessageContaining("/f.bin");
        assertThat(filesIn(tmp)).isZero();
    }

    @Test
    void stalledTransferIsAborted() throws Exception {
        server.stallAfter("/f.bin", 300_000);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> downloader.fetch(server.url("/f.bin"), tmp, 10_000_000))
                .isInstanceOf(IOException.class).hasMessageContaining("stalled");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(filesIn(tmp)).isZero();
    }

    @Test
    void aTrickleBelowTheMinimumRateFailsWithinTheWindow() throws Exception {
        server.trickle("/f.bin", 200);
        Downloader slowGuard = new Downloader(HttpClient.newHttpClient(), new Downloader.Limits(Duration.ofHours(1),
                Duration.ofSeconds(1), 1024), null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> slowGuard.fetch(server.url("/f.bin"), tmp.resolve("t"), 10_000_000))
                .isInstanceOf(IOException.class)
                .hasMessageMatching("download of http://127\\.0\\.0\\.1:[0-9]+/f\\.bin is too slow: [0-9] bytes in the last 1 s, "
                        + "less than the minimum of 1024 \\(download minBytesPerWindow\\)");
        // one window and a tick of the watchdog, with room for a loaded machine
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(filesIn(tmp.resolve("t"))).isZero();
    }

    @Test
    void aWholeDownloadKeepsToTheDeadlineHoweverSteadyItIs() throws Exception {
        server.trickle("/f.bin", 5);
        Downloader guard = new Downloader(HttpClient.newHttpClient(), new Downloader.Limits(Duration.ofMillis(1500),
                Duration.ofSeconds(1), 1), null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> guard.read(server.url("/f.bin"), 10_000_000))
                .hasMessageMatching("download of .*/f\\.bin did not finish within 1500 ms \\(download deadline\\) after [0-9]+ bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusesOversizedAndMissing() throws Exception {
        assertThatThrownBy(() -> downloader.fetch(server.url("/f.bin"), tmp, 1000)).hasMessageContaining("limit of 1000");
        assertThatThrownBy(() -> downloader.fetch(server.url("/nope"), tmp, 1000)).hasMessageContaining("HTTP 404");
        assertThat(filesIn(tmp)).isZero();
    }

    @Test
    void theStandardDownloaderFetchesHttpInAChildJvm() throws Exception {
        Downloader standard = Downloader.standard();
        Downloader.Fetched f = standard.fetchVerified(server.url("/f.bin"), tmp.resolve("t"), 10_000_000, sha(payload));
        assertThat(Files.readAllBytes(f.file())).isEqualTo(payload);
        assertThat(f.file().getParent()).isEqualTo(tmp.resolve("t"));
        assertThat(f.file().getFileName().toString()).startsWith(AtomicFiles.TEMP_PREFIX);
        assertThat(standard.read(server.url("/f.bin"), 10_000_000)).isEqualTo(payload);
        // the child's errors arrive as this process's
        assertThatThrownBy(() -> standard.fetch(server.url("/nope"), tmp, 1000)).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> standard.fetch(server.url("/f.bin"), tmp, 1000)).hasMessageContaining("limit of 1000");
        assertThatThrownBy(() -> standard.fetchVerified(server.url("/f.bin"), tmp, 10_000_000, "ab".repeat(32)))
                .isInstanceOf(Downloader.ChecksumMismatch.class);
        assertThat(filesIn(tmp)).isEqualTo(1); // t/ only
    }

    @Test
    void theDownloadRunsInAChildThatStopsWhenItsParentIsGone() throws Exception {
        server.stallAfter("/f.bin", 300_000);
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Downloader.standard().fetch(server.url("/f.bin"), tmp, 10_000_000).toString();
            } catch (IOException e) {
                return "failed: " + e.getMessage();
            }
        });
        ProcessHandle child = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (child == null && System.nanoTime() < deadline) {
            child = ProcessHandle.current().children().filter(p -> p.info().arguments().map(
                    args -> java.util.Arrays.asList(args).contains(ChildDownload.class.getName())).orElse(false)).findFirst().orElse(null);
            Thread.sleep(20);
        }
        assertThat(child).as("a child JVM running ChildDownload").isNotNull();
        child.destroyForcibly();
        assertThat(result.get(20, java.util.concurrent.TimeUnit.SECONDS)).startsWith("failed: ");

        // run on its own, a child whose stdin closes (its parent died) stops at once
        Process orphan = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ChildDownload.class.getName(), "fetch", server.url("/f.bin"),
                tmp.toString(), "10000000", "60000", "10000", "1").redirectErrorStream(true).start();
        Thread.sleep(500);
        orphan.getOutputStream().close();
        assertThat(orphan.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(orphan.exitValue()).isEqualTo(3);
    }

    @Test
    void fileUrlsAndPlainPathsWork() throws Exception {
        Path src = tmp.resolve("mirror/f.bin");
        Files.createDirectories(src.getParent());
        Files.write(src, payload);
        assertThat(downloader.fetch(src.toUri().toString(), tmp.resolve("t1"), 10_000_000).sha256()).isEqualTo(sha(payload));
        assertThat(downloader.fetch(Downloader.child(tmp.resolve("mirror").toString(), "f.bin"), tmp.resolve("t2"), 10_000_000).sha256())
                .isEqualTo(sha(payload));
        assertThat(new String(downloader.read(Downloader.child(src.getParent().toUri().toString(), "f.bin"), 10_000_000),
                StandardCharsets.US_ASCII)).startsWith("0123");
        assertThatThrownBy(() -> downloader.fetch(tmp.resolve("mirror/none").toString(), tmp, 10)).hasMessageContaining("not found");
    }

    @Test
    void drawsAProgressBarOnlyWhenAskedTo() throws Exception {
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(5), new PrintStream(bar, true, StandardCharsets.UTF_8))
                .fetch(server.url("/f.bin"), tmp, 10_000_000);
        assertThat(bar.toString(StandardCharsets.UTF_8)).contains("f.bin [").contains("100%");
    }

    /** The standard client's own TLS context still checks certificates against the system trust store. */
    @Test
    void theStandardClientRefusesAnUntrustedCertificate() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        io.devbox.agent.testing.SystemTests.Result made = io.devbox.agent.testing.SystemTests.run(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"),
                java.util.Map.of(), null, java.time.Duration.ofSeconds(60));
        assertThat(made.exitCode()).as(made.all()).isZero();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext serverTls = javax.net.ssl.SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(serverTls));
        https.createContext("/", exchange -> {
            byte[] body = "secret payload".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        try {
            String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/f.bin";
            assertThatThrownBy(() -> Downloader.standard().fetch(url, tmp, 1000))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining(url);
            assertThat(filesIn(tmp)).as("nothing downloaded").isEqualTo(1); // only the keystore
        } finally {
            https.stop(0);
        }
    }
}
