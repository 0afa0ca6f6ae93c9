package io.devbox.agent.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} for {@code agent watch --metrics-address}: loopback only unless remote scraping is
 * allowed. One accepting thread hands each connection to a small pool; a request (line and headers) must arrive
 * whole within {@link #READ_TIMEOUT}, else the connection is closed, so a client that sends {@code G} and stalls
 * holds one worker for seconds and never blinds the scrapes of others. Every response closes its connection.
 *
 * <p>Not the JDK's {@code HttpServer}: its default runs each exchange on its single dispatcher thread (one stalled
 * request stops it), and its request timeout is a JVM-wide system property whose unit changed between releases.
 * A scrape needs one request line and one small response.
 */
public final class MetricsServer implements AutoCloseable {
    /** How long a client has to send its request line and headers. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** Workers: scrapes take milliseconds; the rest are there for clients that stall until the read timeout. */
    static final int WORKERS = 4;
    /** Connections waiting for a worker; beyond that a new connection is closed at once. */
    static final int QUEUE = 32;
    /** A scrape's request is a few hundred bytes. */
    static final int MAX_REQUEST = 8 * 1024;

    private final ServerSocket socket;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final Supplier<String> exposition;
    private final Duration readTimeout;
    private volatile boolean closed;

    private MetricsServer(ServerSocket socket, Supplier<String> exposition, Duration readTimeout) {
        this.socket = socket;
        this.exposition = exposition;
        this.readTimeout = readTimeout;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                daemon("metrics-http"));
        this.acceptor = daemon("metrics-accept").newThread(this::accept);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
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
        return start(at, exposition, READ_TIMEOUT);
    }

    static MetricsServer start(InetSocketAddress at, Supplier<String> exposition, Duration readTimeout) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(at, 50);
        MetricsServer server = new MetricsServer(socket, exposition, readTimeout);
        server.acceptor.start();
        return server;
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            try {
                workers.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String head = readHead(s.getInputStream(), System.nanoTime() + readTimeout.toNanos(), s);
            if (head == null) return;
            respond(s.getOutputStream(), head);
        } catch (IOException e) {
            // a client that went away, or took too long: nothing to answer
        }
    }

    /**
     * The request line and headers, up to the blank line; null when the client closed first, sent more than
     * {@link #MAX_REQUEST} bytes, or missed the deadline (each read waits at most what is left of it).
     */
    private static String readHead(InputStream in, long deadline, Socket s) throws IOException {
        byte[] buf = new byte[MAX_REQUEST];
        int n = 0;
        while (n < buf.length) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) return null;
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int r;
            try {
                r = in.read(buf, n, buf.length - n);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (r < 0) return null;
            n += r;
            String sofar = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int end = sofar.indexOf("\r\n\r\n");
            if (end < 0) end = sofar.indexOf("\n\n");
            if (end >= 0) return sofar.substring(0, end);
        }
        return null;
    }

    private void respond(OutputStream out, String head) throws IOException {
        String[] line = head.lines().findFirst().orElse("").split(" ");
        String method = line.length > 0 ? line[0] : "";
        String path = line.length > 1 ? line[1].split("\\?", 2)[0] : "";
        if (!path.equals("/metrics")) {
            write(out, "404 Not Found", "", null, false);
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            write(out, "405 Method Not Allowed", "", "Allow: GET, HEAD\r\n", false);
        } else {
            write(out, "200 OK", exposition.get(), "Content-Type: " + PrometheusText.CONTENT_TYPE + "\r\n", method.equals("HEAD"));
        }
    }

    private static void write(OutputStream out, String status, String body, String headers, boolean headOnly) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String h = "HTTP/1.1 " + status + "\r\n" + (headers == null ? "" : headers) + "Content-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) out.write(b);
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        workers.shutdownNow();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
