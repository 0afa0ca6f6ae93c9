package io.devbox.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} for {@code agent watch --metrics-address}: the JDK's HTTP server with its single
 * dispatcher thread (no pool: a scrape is one small string). Loopback only unless remote scraping is allowed.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Parses {@code HOST:PORT} ({@code [::1]:PORT} for IPv6); throws IllegalArgumentException when it is not one. */
    public static InetSocketAddress address(String hostPort, boolean allowRemote) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("metrics address '" + hostPort + "' is not HOST:PORT (e.g. 127.0.0.1:9478)");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics address '" + hostPort + "': bad port");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("metrics address '" + hostPort + "': bad port");
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("metrics address '" + hostPort + "': unknown host " + host);
        }
        if (!addr.isLoopbackAddress() && !allowRemote) {
            throw new IllegalArgumentException("metrics address " + hostPort + " is not a loopback address; metrics name "
                    + "the box's repository and commit: pass --metrics-allow-remote (metrics.allowRemote) to serve them beyond this box");
        }
        return new InetSocketAddress(addr, port);
    }

    public static MetricsServer start(InetSocketAddress at, Supplier<String> exposition) throws IOException {
        HttpServer server = HttpServer.create(at, 8);
        server.createContext("/metrics", ex -> respond(ex, exposition));
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        return new MetricsServer(server);
    }

    public InetSocketAddress boundAddress() {
        return server.getAddress();
    }

    private static void respond(HttpExchange ex, Supplier<String> exposition) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
