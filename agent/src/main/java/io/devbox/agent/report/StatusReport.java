package io.devbox.agent.report;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Json;
import io.devbox.agent.host.Printable;
import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.host.Facts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/** {@code agent status}: the box, the source and summary of the last run, its drift, what the agent manages. */
public final class StatusReport {
    private StatusReport() {
    }

    public static ObjectNode build(Facts host, RunRecords records, AppliedState applied) throws IOException {
        ObjectNode root = Json.object();
        root.put("formatVersion", JsonReport.FORMAT_VERSION);
        ObjectNode h = root.putObject("host");
        h.put("hostname", host.hostname());
        h.put("bootId", host.bootId());
        h.put("wsl", host.wsl());
        h.put("systemd", host.systemd());
        List<Path> files = records.list();
        JsonNode last = lastRecord(files);
        ObjectNode source = root.putObject("source");
        if (last != null) {
            source.setAll((ObjectNode) last.path("source"));
            ObjectNode lr = root.putObject("lastRun");
            lr.put("id", last.path("id").asString(null));
            lr.put("command", last.path("command").asString(null));
            lr.put("startedAt", last.path("startedAt").asString(null));
            lr.set("summary", last.path("summary"));
            ArrayNode errors = lr.putArray("errors");
            for (JsonNode e : last.path("errors")) errors.add(History.errorText(e));
        } else {
            root.putNull("lastRun");
        }
        List<Observation> observed = newestObservations(files);
        ArrayNode drift = root.putArray("drift");
        ArrayNode resources = root.putArray("resources");
        ObjectNode counts = root.putObject("observed");
        for (String st : List.of("ok", "change", "drift", "override", "skipped", "error")) counts.put(st, 0);
        for (Observation o : observed) {
            if (o.status().equals("drift")) drift.add(o.id());
            counts.put(o.status(), counts.path(o.status()).asInt(0) + 1);
            ObjectNode n = resources.addObject();
            n.put("id", o.id());
            n.put("kind", o.kind());
            n.put("status", o.status());
            n.put("reason", o.reason());
            n.put("run", o.run());
            n.put("observedAt", o.at());
        }
        root.put("managedResources", applied.resources().size());
        return root;
    }

    /** One resource as the newest run that looked at it saw it. */
    record Observation(String id, String kind, String status, String reason, String run, String at) {
    }

    /**
     * Per resource, the newest observation of any run: a run limited to some kinds ({@code plan --only go}) speaks for
     * those kinds only, so what an earlier full run saw of the others still stands. Runs that probed nothing (their
     * profiles were refused) are skipped. Reads records newest first until one covered every kind.
     */
    static List<Observation> newestObservations(List<Path> newestFirst) throws IOException {
        List<Observation> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> coveredKinds = new HashSet<>();
        for (Path p : newestFirst) {
            JsonNode run = RunRecords.parse(p);
            if (run == null || !run.path("probed").asBoolean(true)) continue;
            List<String> only = new ArrayList<>();
            for (JsonNode k : run.path("only")) only.add(k.asString());
            for (JsonNode r : run.path("resources")) {
                String id = r.path("id").asString("");
                String kind = r.path("kind").asString("");
                if (coveredKinds.contains(kind) || !seen.add(id)) continue;
                out.add(new Observation(id, kind, r.path("status").asString(""), r.path("reason").asString(null),
                        run.path("id").asString(RunRecords.idOf(p)), run.path("startedAt").asString(null)));
            }
            if (only.isEmpty()) break;
            coveredKinds.addAll(only);
        }
        return out;
    }

    /** An active override, as status shows it. */
    public record OverrideInfo(String resource, String reason, String by, String expiresAt) {
    }

    /**
     * Adds what the state directory knows beyond the last run: the source state ({@code source.json}, kept by the
     * remote source: fetch time, error, a refused bad commit), whether a WSL restart is pending in this boot
     * ({@code wsl/restart-pending.json}), the watch daemon ({@code watch.json}) and the active overrides.
     */
    public static void addDetails(ObjectNode status, Path stateDir, String currentBootId, List<OverrideInfo> overrides) {
        ObjectNode source = (ObjectNode) status.path("source");
        for (String f : List.of("repo", "ref", "commit", "signature")) if (!source.has(f)) source.putNull(f);
        source.putNull("fetchedAt");
        source.putNull("error");
        JsonNode state = readJson(stateDir.resolve("source.json"));
        if (state != null && state.isObject()) {
            for (Map.Entry<String, JsonNode> e : state.properties()) {
                if (e.getKey().equals("formatVersion")) continue;
                if (e.getValue().isNull() && source.hasNonNull(e.getKey())) continue;
                source.set(e.getKey(), e.getValue());
            }
        }
        JsonNode pending = readJson(stateDir.resolve("wsl").resolve("restart-pending.json"));
        boolean restartPending = pending != null && currentBootId != null
                && currentBootId.strip().equals(pending.path("bootId").asString(""));
        ((ObjectNode) status.path("host")).put("restartPending", restartPending);
        JsonNode watch = readJson(stateDir.resolve("watch.json"));
        if (watch != null && watch.isObject()) {
            ObjectNode w = status.putObject("watch");
            for (String f : List.of("lastCycleAt", "lastRunId", "stoppedAt", "stopReason", "pid")) w.set(f, watch.path(f).isMissingNode() ? null : watch.path(f));
        }
        ArrayNode arr = status.putArray("overrides");
        for (OverrideInfo o : overrides) {
            ObjectNode n = arr.addObject();
            n.put("resource", o.resource());
            n.put("reason", o.reason());
            n.put("by", o.by());
            n.put("expiresAt", o.expiresAt());
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.read(AtomicFiles.readState(file));
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    private static JsonNode lastRecord(List<Path> newestFirst) throws IOException {
        for (Path p : newestFirst) {
            try {
                return Json.read(AtomicFiles.readState(p));
            } catch (JacksonException e) {
                // a record that cannot be read is skipped; the next older one speaks
            }
        }
        return null;
    }

    /** The status for a person; every text from the state files is shown through {@link Printable}. */
    public static String text(ObjectNode status) {
        StringBuilder sb = new StringBuilder();
        JsonNode h = status.path("host");
        sb.append("Host     ").append(esc(h.path("hostname").asString())).append("  ").append(h.path("wsl").asBoolean() ? "WSL2" : "Linux")
                .append(", ").append(h.path("systemd").asBoolean() ? "systemd" : "no systemd").append('\n');
        JsonNode s = status.path("source");
        if (s.path("repo").isString()) {
            sb.append("Source   ").append(esc(s.path("repo").asString()));
            if (s.path("ref").isString()) sb.append("  ").append(esc(s.path("ref").asString()));
            sb.append(" @ ").append(s.path("commit").isString() ? esc(s.path("commit").asString()) : "working tree");
            if (s.path("signature").isString()) sb.append("  signed by ").append(esc(s.path("signature").asString()));
            sb.append('\n');
            if (s.path("fetchedAt").isString()) sb.append("         fetched ").append(esc(s.path("fetchedAt").asString())).append('\n');
            if (s.path("error").isString()) sb.append("         source error: ").append(esc(s.path("error").asString())).append('\n');
            if (s.path("badCommit").isString()) {
                sb.append("         refused commit ").append(esc(s.path("badCommit").asString())).append('\n');
                for (JsonNode e : s.path("badCommitErrors")) sb.append("           ").append(esc(e.asString())).append('\n');
            }
        }
        if (h.path("restartPending").asBoolean(false)) sb.append("         a WSL restart is pending (wsl --shutdown) for changed WSL settings\n");
        JsonNode w = status.path("watch");
        if (w.isObject()) {
            sb.append("Watch    ").append(w.path("stoppedAt").isString() ? "stopped " + esc(w.path("stoppedAt").asString())
                    + (w.path("stopReason").isString() ? " (" + esc(w.path("stopReason").asString()) + ")" : "")
                    : "pid " + w.path("pid").asLong() + ", last cycle " + esc(w.path("lastCycleAt").asString("none"))).append('\n');
        }
        JsonNode lr = status.path("lastRun");
        if (lr.isNull() || lr.isMissingNode()) {
            sb.append("Last run (none yet)\n");
        } else {
            JsonNode sum = lr.path("summary");
            sb.append("Last run ").append(esc(lr.path("command").asString())).append(" at ").append(esc(lr.path("startedAt").asString()))
                    .append(": ").append(sum.path("ok").asInt()).append(" ok, ").append(sum.path("change").asInt()).append(" change, ")
                    .append(sum.path("drift").asInt()).append(" drift, ").append(sum.path("skipped").asInt()).append(" skipped, ")
                    .append(sum.path("error").asInt()).append(" error\n");
        }
        for (JsonNode e : lr.path("errors")) sb.append("         error: ").append(History.error(e)).append('\n');
        JsonNode seen = status.path("observed");
        if (status.path("resources").size() > 0) {
            sb.append("Observed ").append(seen.path("ok").asInt()).append(" ok, ").append(seen.path("change").asInt()).append(" change, ")
                    .append(seen.path("drift").asInt()).append(" drift, ").append(seen.path("override").asInt()).append(" override, ")
                    .append(seen.path("skipped").asInt()).append(" skipped, ").append(seen.path("error").asInt())
                    .append(" error (the newest observation of each resource, from any run)\n");
        }
        for (JsonNode r : status.path("resources")) {
            String st = r.path("status").asString();
            if (!st.equals("drift") && !st.equals("error")) continue;
            sb.append(st.equals("drift") ? "  ! " : "  x ").append(esc(r.path("id").asString())).append("  ").append(esc(st))
                    .append("  (run ").append(esc(r.path("run").asString())).append(", ").append(esc(r.path("observedAt").asString("?"))).append(')');
            if (st.equals("error") && r.path("reason").isString()) sb.append(": ").append(esc(r.path("reason").asString()));
            sb.append('\n');
        }
        for (JsonNode o : status.path("overrides")) {
            sb.append("  = ").append(esc(o.path("resource").asString())).append("  override until ").append(esc(o.path("expiresAt").asString()))
                    .append(" by ").append(esc(o.path("by").asString())).append(": ").append(esc(o.path("reason").asString())).append('\n');
        }
        sb.append("Managed  ").append(status.path("managedResources").asInt()).append(" resources applied by the agent\n");
        return sb.toString();
    }

    private static String esc(String s) {
        return Printable.escape(s);
    }
}
