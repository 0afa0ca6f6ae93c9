package io.devbox.agent.watch;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Json;
import io.devbox.agent.report.JsonReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The watch daemon's last report push ({@code <state>/report-push.json}): when, the key of what it reported (see
 * {@link ReportPublisher#key}) and what landed, so that a restarted daemon does not push an unchanged report again.
 */
record ReportPushState(String at, String key, String what) {
    static final ReportPushState NONE = new ReportPushState(null, null, null);

    static Path file(Path stateDir) {
        return stateDir.resolve("report-push.json");
    }

    Instant pushedAt() {
        try {
            return at == null ? null : Instant.parse(at);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The stored state; {@link #NONE} when absent or unreadable (it only saves a push). */
    static ReportPushState read(Path stateDir) {
        try {
            JsonNode n = Json.read(AtomicFiles.readState(file(stateDir)));
            return new ReportPushState(text(n, "pushedAt"), text(n, "key"), text(n, "pushed"));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    void write(Path stateDir) {
        ObjectNode n = Json.object();
        n.put("formatVersion", 1);
        n.put("pushedAt", at);
        n.put("key", key);
        n.put("pushed", what);
        try {
            AtomicFiles.write(file(stateDir), JsonReport.pretty(n).getBytes(StandardCharsets.UTF_8), "rw-------");
        } catch (IOException e) {
            // only a restart's saved push depends on it
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isString() ? v.asString() : null;
    }
}
