package io.devbox.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on 127.0.0.1 (a free port) serving byte arrays by path. A path may instead be set to die after
 * sending part of its body (the server closes the connection: a mirror going away mid-download), to stall, or to
 * trickle (one byte at a time with a pause after each: a hostile or broken mirror that never quite stalls).
 */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> dieAfter = new ConcurrentHashMap<>();
    private final Map<String, Integer> stallAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> trickle = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** e.g. {@code http://127.0.0.1:PORT/dl/} for base "/dl/" */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Serves {@code content} at {@code path} (the path including any query string). */
    public void put(String path, byte[] content) {
        files.put(path, content);
    }

    public void dieAfter(String path, int bytes) {
        dieAfter.put(path, bytes);
    }

    public void stallAfter(String path, int bytes) {
        stallAfter.put(path, bytes);
    }

    /** Sends {@code path} one byte at a time, pausing {@code millisPerByte} after each, until the client goes away. */
    public void trickle(String path, long millisPerByte) {
        trickle.put(path, millisPerByte);
    }

    /** Serves {@code path} whole again after {@link #dieAfter}, {@link #stallAfter} or {@link #trickle}. */
    public void heal(String path) {
        dieAfter.remove(path);
        stallAfter.remove(path);
        trickle.remove(path);
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String key = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() != null ? "?" + ex.getRequestURI().getRawQuery() : "");
        byte[] body = files.get(key);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        Integer die = dieAfter.get(key);
        Integer stall = stallAfter.get(key);
        if (die != null) {
            out.write(body, 0, die);
            out.flush();
            // drop the connection with the body incomplete
            ex.close();
            return;
        }
        Long pause = trickle.get(key);
        if (pause != null) {
            try {
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(pause);
                }
            } catch (IOException | InterruptedException e) {
                // the client gave up: that is what a trickle is for
            }
            ex.close();
            return;
        }
        if (stall != null) {
            out.write(body, 0, stall);
            out.flush();
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        out.write(body);
        out.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
