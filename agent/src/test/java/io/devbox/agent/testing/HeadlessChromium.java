package io.devbox.agent.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium} in headless mode, driven over the DevTools protocol (a WebSocket on a loopback port the
 * browser picks), with a fresh profile directory and everything that would reach the network switched off. Enough
 * to open a page, run script in it, watch its requests and take a screenshot. Closed (and its profile removed) on close.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser with one blank page and connects to that page. Skips (or fails in CI) without chromium. */
    public static HeadlessChromium start() throws Exception {
        SystemTests.requireCommand("chromium");
        Path profile = Files.createTempDirectory("devbox-chromium-");
        Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=1280,1000", "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!p.isAlive()) throw new AssertionError("chromium exited " + p.exitValue());
                if (System.nanoTime() > deadline) throw new AssertionError("chromium did not open its DevTools port");
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (JsonNode t : JSON.readTree(list)) {
                if (t.path("type").asString("").equals("page")) ws = t.path("webSocketDebuggerUrl").asString();
            }
            if (ws == null) throw new AssertionError("chromium has no page target: " + list);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(ws), listener).get(10, TimeUnit.SECONDS);
            HeadlessChromium c = new HeadlessChromium(p, profile, socket);
            listener.owner = c;
            c.call("Page.enable", Map.of());
            c.call("Network.enable", Map.of());
            c.call("Runtime.enable", Map.of());
            return c;
        } catch (Exception | AssertionError e) {
            stop(p, profile);
            throw e;
        }
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode r = answer.get(60, TimeUnit.SECONDS);
        if (r.has("error")) throw new AssertionError(method + " failed: " + r.path("error"));
        return r.path("result");
    }

    /** Opens {@code file} and waits until its load event fired (its scripts have run). */
    public void open(Path file) throws Exception {
        events.clear();
        call("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
        call("Page.navigate", Map.of("url", file.toUri().toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events().stream().noneMatch(e -> e.path("method").asString("").equals("Page.loadEventFired"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("the page did not load: " + file);
            Thread.sleep(20);
        }
    }

    /** Evaluates a script expression in the page and returns its value (JSON-serialisable results). */
    public JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new AssertionError("script failed: " + r.path("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Every URL the page requested since it was opened (the page itself included). */
    public List<String> requestedUrls() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events()) {
            if (e.path("method").asString("").equals("Network.requestWillBeSent")) {
                out.add(e.path("params").path("request").path("url").asString(""));
            }
        }
        return out;
    }

    /** Messages the page logged to its console, and exceptions it threw, since it was opened. */
    public List<String> consoleMessages() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events()) {
            String m = e.path("method").asString("");
            if (m.equals("Runtime.consoleAPICalled") || m.equals("Runtime.exceptionThrown")) out.add(e.path("params").toString());
        }
        return out;
    }

    /** A PNG of the whole page. */
    public void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.path("data").asString()));
    }

    private List<JsonNode> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    private void received(String text) {
        JsonNode msg = JSON.readTree(text);
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.path("id").asInt());
            if (f != null) f.complete(msg);
        } else {
            events.add(msg);
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (owner != null) owner.received(text);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        stop(process, profile);
    }

    private static void stop(Process p, Path profile) throws IOException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Files.exists(profile)) {
            try (var walk = Files.walk(profile)) {
                for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
            }
        }
    }
}
