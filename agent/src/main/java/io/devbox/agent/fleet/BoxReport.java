package io.devbox.agent.fleet;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.Times;
import io.devbox.agent.source.GitUrls;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The report one box publishes (as {@code <hostname>.json} on its shard ref, see {@link ReportNames}): a summary of
 * its latest run, built from the run record. No values (a planned or probed value may be private); ids, counts,
 * commits, reasons and the box's labels only (formatVersion 1; labels were added later and may be absent):
 * <pre>
 * {formatVersion, hostname, reportedAt, agentVersion, labels{},
 *  run{id, command, startedAt, durationMs},
 *  source{repo, ref, commit, signature, error, badCommit},
 *  summary{ok, change, drift, override, skipped, error},
 *  drift[ids], errors[ids], overrides[{id, reason, until}]}
 * </pre>
 */
public final class BoxReport {
    public static final int FORMAT_VERSION = 1;

    private BoxReport() {
    }

    /** An override active on the box when the report was made (from its overrides file: not every run lists them). */
    public record Override(String id, String reason, String until) {
    }

    public static ObjectNode fromRunRecord(String hostname, Map<String, String> labels, List<Override> active, JsonNode run,
                                           Instant now, String agentVersion) {
        ObjectNode n = Json.object();
        n.put("formatVersion", FORMAT_VERSION);
        n.put("hostname", hostname);
        n.put("reportedAt", Times.iso(now));
        n.put("agentVersion", agentVersion);
        ObjectNode l = n.putObject("labels");
        new TreeMap<>(labels).forEach(l::put);
        ObjectNode r = n.putObject("run");
        r.put("id", text(run, "id"));
        r.put("command", text(run, "command"));
        r.put("startedAt", text(run, "startedAt"));
        r.put("durationMs", run.path("durationMs").asLong(0));
        JsonNode s = run.path("source");
        ObjectNode src = n.putObject("source");
        src.put("repo", GitUrls.redact(text(s, "repo")));
        src.put("ref", text(s, "ref"));
        src.put("commit", text(s, "commit"));
        src.put("signature", text(s, "signature"));
        src.put("error", text(s, "error"));
        src.put("badCommit", text(s, "badCommit"));
        JsonNode sum = run.path("summary");
        ObjectNode summary = n.putObject("summary");
        for (String k : new String[]{"ok", "change", "drift", "override", "skipped", "error"}) summary.put(k, sum.path(k).asInt(0));
        ArrayNode drift = n.putArray("drift");
        ArrayNode errors = n.putArray("errors");
        ArrayNode overrides = n.putArray("overrides");
        Set<String> listed = new HashSet<>();
        for (Override o : active) {
            if (!listed.add(o.id())) continue;
            ObjectNode c = overrides.addObject();
            c.put("id", o.id());
            c.put("reason", o.reason());
            c.put("until", o.until());
        }
        for (JsonNode res : run.path("resources")) {
            String status = res.path("status").asString("");
            String id = res.path("id").asString("");
            if (status.equals("drift")) drift.add(id);
            if (status.equals("error")) errors.add(id);
            if (status.equals("override") && !run.path("overrides").isArray() && listed.add(id)) {
                ObjectNode o = overrides.addObject();
                o.put("id", id);
                o.put("reason", text(res, "reason"));
            }
        }
        // run records that list active overrides (agent override) carry them as {id|resource, reason, until|expiresAt}
        for (JsonNode o : run.path("overrides")) {
            String id = o.has("id") ? text(o, "id") : text(o, "resource");
            if (!listed.add(id)) continue;
            ObjectNode c = overrides.addObject();
            c.put("id", id);
            c.put("reason", text(o, "reason"));
            c.put("until", o.has("until") ? text(o, "until") : text(o, "expiresAt"));
        }
        return n;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asString();
    }
}
