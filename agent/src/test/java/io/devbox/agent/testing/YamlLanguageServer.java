package io.devbox.agent.testing;

import io.devbox.agent.host.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * yaml-language-server (the editor side of the README's {@code $schema} modeline) driven over stdio with the Language
 * Server Protocol, as an editor drives it: initialize, the {@code yaml.schemas} setting, then open documents and collect
 * the diagnostics it publishes. Requests from the server (configuration, capability registration) get the answers a
 * minimal editor gives.
 */
public final class YamlLanguageServer implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final ObjectNode settings;
    private int nextId = 1;

    /** One published diagnostic: its 0-based line and its message as sent (an LSP client requires a string). */
    public record Diagnostic(int line, int severity, JsonNode message) {
    }

    /** Starts the server and maps {@code schema} to every {@code *.yaml} and {@code *.yml} document. */
    public YamlLanguageServer(String command, Path schema) throws IOException, InterruptedException {
        process = new ProcessBuilder(command, "--stdio").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        in = process.getOutputStream();
        reader = new Thread(() -> read(process.getInputStream()), "yaml-language-server reader");
        reader.setDaemon(true);
        reader.start();
        ObjectNode yaml = Json.object();
        ObjectNode schemas = Json.object();
        schemas.set(schema.toUri().toString(), Json.array().add("*.yaml").add("*.yml"));
        yaml.set("schemas", schemas);
        yaml.put("validate", true);
        yaml.put("hover", false);
        yaml.put("completion", false);
        yaml.set("schemaStore", Json.object().put("enable", false));
        settings = Json.object();
        settings.set("yaml", yaml);
        ObjectNode init = Json.object();
        init.put("processId", ProcessHandle.current().pid());
        init.putNull("rootUri");
        init.set("capabilities", Json.object().set("textDocument", Json.object().set("publishDiagnostics", Json.object())));
        request("initialize", init, Duration.ofSeconds(60));
        notify("initialized", Json.object());
        ObjectNode change = Json.object();
        change.set("settings", settings);
        notify("workspace/didChangeConfiguration", change);
    }

    /**
     * Opens each document and returns the diagnostics the server published for it, waiting until every document has
     * some publication and then for {@code quiet} without news (the server publishes again as it revalidates).
     */
    public Map<Path, List<Diagnostic>> diagnose(List<Path> files, Map<Path, String> texts, Duration quiet, Duration limit)
            throws IOException, InterruptedException {
        Map<String, Path> byUri = new HashMap<>();
        Map<Path, List<Diagnostic>> out = new HashMap<>();
        for (Path f : files) {
            String uri = f.toUri().toString();
            byUri.put(uri, f);
            ObjectNode doc = Json.object();
            doc.put("uri", uri);
            doc.put("languageId", "yaml");
            doc.put("version", 1);
            doc.put("text", texts.get(f));
            notify("textDocument/didOpen", Json.object().set("textDocument", doc));
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = out.size() == files.size();
            JsonNode m = messages.poll(all ? quiet.toMillis() : 1000, TimeUnit.MILLISECONDS);
            if (m == null) {
                if (all) return out;
                continue;
            }
            if (answerServerRequest(m)) continue;
            if (!"textDocument/publishDiagnostics".equals(m.path("method").asString(""))) continue;
            Path f = byUri.get(m.path("params").path("uri").asString(""));
            if (f == null) continue;
            List<Diagnostic> ds = new java.util.ArrayList<>();
            for (JsonNode d : m.path("params").path("diagnostics")) {
                ds.add(new Diagnostic(d.path("range").path("start").path("line").asInt(), d.path("severity").asInt(1), d.get("message")));
            }
            out.put(f, ds);
        }
        throw new AssertionError("yaml-language-server published diagnostics for " + out.size() + " of " + files.size()
                + " documents within " + limit);
    }

    private JsonNode request(String method, JsonNode params, Duration timeout) throws IOException, InterruptedException {
        int id = nextId++;
        ObjectNode m = Json.object();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        m.set("params", params);
        send(m);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = messages.poll(1, TimeUnit.SECONDS);
            if (r == null) continue;
            if (answerServerRequest(r)) continue;
            if (r.has("id") && r.path("id").asInt(-1) == id && !r.has("method")) {
                if (r.has("error")) throw new IOException(method + " failed: " + r.get("error"));
                return r.get("result");
            }
        }
        throw new IOException("no answer to " + method + " within " + timeout);
    }

    /** Answers a request of the server; true when {@code m} was one. */
    private boolean answerServerRequest(JsonNode m) throws IOException {
        if (!m.has("method") || !m.has("id")) return false;
        ObjectNode reply = Json.object();
        reply.put("jsonrpc", "2.0");
        reply.set("id", m.get("id"));
        if (m.path("method").asString("").equals("workspace/configuration")) {
            var items = Json.array();
            for (JsonNode item : m.path("params").path("items")) {
                String section = item.path("section").asString("");
                items.add(section.isEmpty() ? settings : settings.path(section.split("\\.")[0]).isMissingNode()
                        ? Json.object() : resolve(settings, section));
            }
            reply.set("result", items);
        } else {
            reply.putNull("result");
        }
        send(reply);
        return true;
    }

    private static JsonNode resolve(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) n = n.path(part);
        return n.isMissingNode() ? Json.object() : n;
    }

    private void notify(String method, JsonNode params) throws IOException {
        ObjectNode m = Json.object();
        m.put("jsonrpc", "2.0");
        m.put("method", method);
        m.set("params", params);
        send(m);
    }

    private synchronized void send(JsonNode message) throws IOException {
        byte[] body = Json.prettyString(message).getBytes(StandardCharsets.UTF_8);
        in.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        in.write(body);
        in.flush();
    }

    private void read(InputStream out) {
        try {
            while (true) {
                int length = -1;
                String line;
                while (!(line = headerLine(out)).isEmpty()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).strip());
                    }
                }
                if (length < 0) throw new IOException("LSP message without Content-Length");
                messages.add(Json.read(out.readNBytes(length)));
            }
        } catch (IOException | RuntimeException e) {
            // the server ended (or spoke garbage): whoever waits times out with its own message
        }
    }

    private static String headerLine(InputStream s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = s.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) throw new IOException("end of stream");
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            request("shutdown", null, Duration.ofSeconds(10));
            notify("exit", null);
        } catch (IOException e) {
            // it is stopped below either way
        }
        try {
            in.close();
        } catch (IOException e) {
            // ditto
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        reader.join(5000);
    }
}
