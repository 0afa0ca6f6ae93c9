package io.devbox.agent.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real sockets on loopback: slow or stalled clients never keep a scrape from being answered. */
class MetricsServerTest {
    MetricsServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> "devbox_agent_runs_total{command=\"plan\",result=\"ok\"} 3\n", Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.boundAddress().getPort() + path);
    }

    private HttpResponse<String> get(String path, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheExpositionAndNothingElse() throws Exception {
        HttpResponse<String> r = get("/metrics", "GET");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue(PrometheusText.CONTENT_TYPE);
        assertThat(r.body()).isEqualTo("devbox_agent_runs_total{command=\"plan\",result=\"ok\"} 3\n");
        assertThat(get("/metrics?x=1", "HEAD").statusCode()).isEqualTo(200);
        assertThat(get("/", "GET").statusCode()).isEqualTo(404);
        assertThat(get("/metrics", "DELETE").statusCode()).isEqualTo(405);
    }

    private Socket stall() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundAddress().getPort());
        s.getOutputStream().write('G');
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void aStalledClientDoesNotBlindTheScrapes() throws Exception {
        try (Socket stalled = stall()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get("/metrics", "GET");
            assertThat(r.statusCode()).isEqualTo(200);
            // served by another worker right away, not after the stalled client's read timeout
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
            // and the stalled connection is closed by the server after the read timeout
            stalled.setSoTimeout(6000);
            InputStream in = stalled.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void moreStalledClientsThanWorkersDelayAScrapeByOneReadTimeoutAtMost() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < MetricsServer.WORKERS + 2; i++) stalled.add(stall());
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
        } finally {
            for (Socket s : stalled) s.close();
        }
    }

    @Test
    void aClientTricklingItsRequestIsCutOffAtTheDeadline() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.boundAddress().getPort())) {
            long t0 = System.nanoTime();
            byte[] request = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            for (byte b : request) {
                try {
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    cut = true;
                    break;
                }
                Thread.sleep(150);
            }
            s.setSoTimeout(3000);
            // each byte came within the per-read wait, but the request as a whole missed its deadline
            cut |= s.getInputStream().read() == -1;
            assertThat(cut).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
        } catch (java.net.SocketException reset) {
            // the server closed while we were still writing: cut off too
        }
    }
}
