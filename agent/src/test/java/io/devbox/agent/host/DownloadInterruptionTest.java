package io.devbox.agent.host;

import io.devbox.agent.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A download cut at any byte fails, leaves no file, and the next attempt restarts from scratch and verifies. */
class DownloadInterruptionTest {
    @TempDir
    Path tmp;
    LoopbackServer server;
    final byte[] payload = new byte[200_000];
    final Downloader downloader = new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(2), null);

    @BeforeEach
    void start() throws IOException {
        new Random(7).nextBytes(payload);
        server = new LoopbackServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void cutAtAnyByteFailsCleanlyAndTheNextAttemptRestartsAndVerifies() throws Exception {
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        TreeSet<Integer> cuts = new TreeSet<>(java.util.List.of(0, 1, 2, 8191, 8192, 8193, 65_535, 65_536, payload.length - 1));
        Random r = new Random(Long.getLong("devbox.seed", 42));
        while (cuts.size() < 30) cuts.add(r.nextInt(payload.length));
        Path dir = tmp.resolve("downloads");
        for (int cut : cuts) {
            String path = "/go" + cut + ".tar.gz";
            server.put(path, payload);
            server.dieAfter(path, cut);
            assertThatThrownBy(() -> downloader.fetchVerified(server.url(path), dir, 10_000_000, sum))
                    .as("cut at byte " + cut).isInstanceOf(IOException.class);
            assertThat(files(dir)).as("nothing left after a cut at byte " + cut).isZero();

            server.heal(path);
            Downloader.Fetched f = downloader.fetchVerified(server.url(path), dir, 10_000_000, sum);
            assertThat(f.sha256()).isEqualTo(sum);
            assertThat(Files.readAllBytes(f.file())).isEqualTo(payload);
            Files.delete(f.file());
        }
    }

    private static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
