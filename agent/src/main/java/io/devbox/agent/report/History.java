package io.devbox.agent.report;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.Printable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code agent history}: the run records, newest first, as one JSON document or a table; one record in detail. A run
 * record is data (a damaged or hand-edited one too): every text taken from it is shown through {@link Printable}.
 */
public final class History {
    private History() {
    }

    /** {@code {runs: [{id, command, startedAt, durationMs, commit, summary}]}}, newest first, at most {@code limit}. */
    public static ObjectNode list(RunRecords records, int limit) throws IOException {
        ObjectNode root = Json.object();
        root.put("formatVersion", JsonReport.FORMAT_VERSION);
        ArrayNode runs = root.putArray("runs");
        List<Path> files = records.list();
        for (Path p : files) {
            if (runs.size() >= limit) break;
            JsonNode r = RunRecords.parse(p);
            if (r == null) continue;
            ObjectNode n = runs.addObject();
            n.put("id", r.path("id").asString(RunRecords.idOf(p)));
            n.put("command", r.path("command").asString(null));
            n.put("startedAt", r.path("startedAt").asString(null));
            n.put("durationMs", r.path("durationMs").asLong(0));
            JsonNode commit = r.path("source").path("commit");
            n.put("commit", commit.isString() ? commit.asString() : null);
            n.set("summary", r.path("summary").isObject() ? r.path("summary") : Json.object());
            n.put("errors", r.path("errors").size());
        }
        return root;
    }

    public static String table(ObjectNode list) {
        StringBuilder sb = new StringBuilder();
        if (list.path("runs").isEmpty()) return "No runs recorded yet.\n";
        sb.append(String.format("%-34s %-7s %-20s %8s  %-7s  %s%n", "ID", "COMMAND", "STARTED", "TOOK", "COMMIT", "RESULT"));
        for (JsonNode r : list.path("runs")) {
            String commit = r.path("commit").isString() ? r.path("commit").asString() : "-";
            sb.append(String.format("%-34s %-7s %-20s %8s  %-7s  %s%n", text(r, "id"), text(r, "command"),
                    esc(r.path("startedAt").asString("").replaceAll("\\.[0-9]+Z$", "Z")), r.path("durationMs").asLong() + " ms",
                    esc(commit.substring(0, Math.min(7, commit.length()))), counts(r.path("summary"), r.path("errors").asInt())));
        }
        return sb.toString();
    }

    /** One record in the style of a plan. */
    public static String show(JsonNode run) {
        StringBuilder sb = new StringBuilder();
        sb.append("Run      ").append(text(run, "id")).append("  ").append(text(run, "command"))
                .append("  ").append(text(run, "startedAt")).append("  ").append(run.path("durationMs").asLong()).append(" ms\n");
        JsonNode s = run.path("source");
        sb.append("Source   ").append(esc(s.path("repo").asString("?")));
        if (s.path("ref").isString()) sb.append("  ").append(text(s, "ref"));
        sb.append(" @ ").append(s.path("commit").isString() ? text(s, "commit") : "working tree");
        if (s.path("signature").isString()) sb.append("  signed by ").append(text(s, "signature"));
        sb.append('\n');
        JsonNode h = run.path("host");
        sb.append("Host     ").append(text(h, "hostname")).append("  boot ").append(text(h, "bootId"))
                .append("    profiles: ").append(join(run.path("profiles"))).append("\n\n");
        for (JsonNode r : run.path("resources")) {
            String status = r.path("status").asString();
            sb.append(switch (status) {
                case "ok" -> "    ";
                case "drift" -> "  ! ";
                case "change" -> "  ~ ";
                case "override" -> "  = ";
                case "error" -> "  x ";
                default -> "    ";
            }).append(text(r, "id")).append("  ").append(esc(status));
            if (r.path("origin").path("file").isString()) {
                sb.append("  ").append(text(r.path("origin"), "file")).append(':').append(r.path("origin").path("line").asInt());
            }
            sb.append('\n');
            if (r.path("reason").isString()) sb.append("        ").append(text(r, "reason")).append('\n');
            for (JsonNode c : r.path("changes")) {
                sb.append(String.format("        %-11s %s -> %s%n", text(c, "field"), value(c.path("from")), value(c.path("to"))));
            }
        }
        for (JsonNode e : run.path("errors")) sb.append("error: ").append(error(e)).append('\n');
        sb.append("\nResult: ").append(counts(run.path("summary"), run.path("errors").size())).append('\n');
        return sb.toString();
    }

    private static String counts(JsonNode sum, int errors) {
        return sum.path("ok").asInt() + " ok, " + sum.path("change").asInt() + " change, " + sum.path("drift").asInt() + " drift, "
                + sum.path("override").asInt() + " override, " + sum.path("skipped").asInt() + " skipped, "
                + (sum.path("error").asInt() + errors) + " error";
    }

    /** A record's error for a person: {@link #errorText(JsonNode)} with control characters escaped. */
    static String error(JsonNode e) {
        return esc(errorText(e));
    }

    /**
     * A record's error as one raw line (for JSON): {@code {file, line, column, message}} as {@code FILE:LINE:COL:
     * message} (records before format 1.1 held plain strings).
     */
    static String errorText(JsonNode e) {
        if (e.isString()) return e.asString();
        String message = e.path("message").asString("");
        String file = e.path("file").isString() ? e.path("file").asString() : null;
        return new RunError(file, e.path("line").asInt(0), e.path("column").asInt(0), message).text();
    }

    private static String value(JsonNode v) {
        return v.isNull() || v.isMissingNode() ? "(absent)" : esc(v.asString());
    }

    private static String text(JsonNode n, String field) {
        return esc(n.path(field).asString());
    }

    private static String esc(String s) {
        return Printable.escape(s);
    }

    private static String join(JsonNode arr) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : arr) sb.append(sb.length() == 0 ? "" : ", ").append(esc(n.asString()));
        return sb.length() == 0 ? "(none match)" : sb.toString();
    }
}
