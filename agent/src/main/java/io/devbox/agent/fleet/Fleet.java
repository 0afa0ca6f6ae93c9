package io.devbox.agent.fleet;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.Printable;
import io.devbox.agent.source.SourceException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** {@code agent fleet}: every box's latest report, fetched from {@code refs/devbox/reports/*}. */
public final class Fleet {
    private Fleet() {
    }

    /** {@code {hosts: [{hostname, reportedAt, ageSeconds, commit, ...report fields, reportCommit}]}}, sorted by hostname. */
    public static ObjectNode read(String repo, Path workingDir, Path stateDir, CredentialsProvider credentials, Clock clock,
                                  Duration timeout) throws IOException, SourceException {
        ObjectNode root = Json.object();
        ArrayNode hosts = root.putArray("hosts");
        try (ReportStore store = ReportStore.open(repo, workingDir, stateDir, credentials, timeout)) {
            store.refresh();
            root.put("repo", store.where());
            Map<String, RevCommit> heads = new java.util.TreeMap<>(store.heads());
            for (Map.Entry<String, RevCommit> e : heads.entrySet()) {
                ObjectNode h = hosts.addObject();
                h.put("hostname", e.getKey());
                Optional<byte[]> body = store.report(e.getValue());
                JsonNode report = null;
                if (body.isPresent()) {
                    try {
                        report = Json.read(body.get());
                    } catch (JacksonException ex) {
                        report = null;
                    }
                }
                if (report == null || !report.isObject()) {
                    h.put("error", "unreadable report at " + e.getValue().name());
                    h.put("reportCommit", e.getValue().name());
                    continue;
                }
                String at = BoxReport.text(report, "reportedAt");
                h.put("reportedAt", at);
                h.put("ageSeconds", age(at, clock));
                h.put("commit", report.path("source").path("commit").isNull() ? null : BoxReport.text(report.path("source"), "commit"));
                h.set("summary", report.path("summary"));
                h.set("overrides", report.path("overrides").isArray() ? report.path("overrides") : Json.array());
                h.set("drift", report.path("drift").isArray() ? report.path("drift") : Json.array());
                h.set("run", report.path("run"));
                h.set("source", report.path("source"));
                h.put("reportCommit", e.getValue().name());
            }
        }
        return root;
    }

    private static Long age(String at, Clock clock) {
        if (at == null) return null;
        try {
            return Math.max(0, Duration.between(Instant.parse(at), clock.instant()).toSeconds());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A table: HOST, COMMIT, AGE, OK, CHANGE, DRIFT, ERROR, OVERRIDES. Reports are other boxes' data: all text escaped. */
    public static String text(ObjectNode fleet) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-24s %-8s %8s %5s %6s %5s %5s  %s%n", "HOST", "COMMIT", "AGE", "OK", "CHANGE", "DRIFT", "ERROR", "OVERRIDES"));
        for (JsonNode h : fleet.path("hosts")) {
            if (h.has("error")) {
                sb.append(String.format("%-24s %s%n", esc(h.path("hostname").asString()), esc(h.path("error").asString())));
                continue;
            }
            JsonNode s = h.path("summary");
            String commit = h.path("commit").isNull() || h.path("commit").isMissingNode() ? "-" : h.path("commit").asString();
            StringBuilder ov = new StringBuilder();
            for (JsonNode o : h.path("overrides")) ov.append(ov.isEmpty() ? "" : ", ").append(esc(o.path("id").asString()));
            String err = h.path("source").path("error").isNull() || h.path("source").path("error").isMissingNode()
                    ? "" : "  source: " + esc(h.path("source").path("error").asString());
            sb.append(String.format("%-24s %-8s %8s %5d %6d %5d %5d  %s%s%n", esc(h.path("hostname").asString()),
                    esc(commit.substring(0, Math.min(7, commit.length()))), age(h.path("ageSeconds")), s.path("ok").asInt(),
                    s.path("change").asInt(), s.path("drift").asInt(), s.path("error").asInt(), ov.isEmpty() ? "-" : ov, err));
        }
        int n = fleet.path("hosts").size();
        sb.append(n).append(n == 1 ? " box" : " boxes").append(" reporting to ").append(esc(fleet.path("repo").asString())).append('\n');
        return sb.toString();
    }

    private static String esc(String s) {
        return Printable.escape(s);
    }

    private static String age(JsonNode seconds) {
        if (seconds.isNull() || seconds.isMissingNode()) return "?";
        long s = seconds.asLong();
        if (s < 120) return s + "s";
        if (s < 7200) return (s / 60) + "m";
        if (s < 172800) return (s / 3600) + "h";
        return (s / 86400) + "d";
    }
}
