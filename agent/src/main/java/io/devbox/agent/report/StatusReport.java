package io.devbox.agent.report;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.host.Facts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code agent status}: the box, the source and summary of the last run, its drift, what the agent manages. */
public final class StatusReport {
    private StatusReport() {
    }

    public static ObjectNode build(Facts host, RunRecords records, AppliedState applied) throws IOException {
        ObjectNode root = JsonReport.mapper().createObjectNode();
        root.put("formatVersion", JsonReport.FORMAT_VERSION);
        ObjectNode h = root.putObject("host");
        h.put("hostname", host.hostname());
        h.put("bootId", host.bootId());
        h.put("wsl", host.wsl());
        h.put("systemd", host.systemd());
        JsonNode last = lastRecord(records.list());
        ObjectNode source = root.putObject("source");
        ArrayNode drift = root.putArray("drift");
        if (last != null) {
            source.setAll((ObjectNode) last.path("source"));
            ObjectNode lr = root.putObject("lastRun");
            lr.put("id", last.path("id").asString(null));
            lr.put("command", last.path("command").asString(null));
            lr.put("startedAt", last.path("startedAt").asString(null));
            lr.set("summary", last.path("summary"));
            for (JsonNode r : last.path("resources")) {
                if ("drift".equals(r.path("status").asString(""))) drift.add(r.path("id").asString());
            }
        } else {
            root.putNull("lastRun");
        }
        root.put("managedResources", applied.resources().size());
        return root;
    }

    private static JsonNode lastRecord(List<Path> newestFirst) throws IOException {
        for (Path p : newestFirst) {
            try {
                return JsonReport.mapper().readTree(Files.readAllBytes(p));
            } catch (JacksonException e) {
                // a record that cannot be read is skipped; the next older one speaks
            }
        }
        return null;
    }

    public static String text(ObjectNode status) {
        StringBuilder sb = new StringBuilder();
        JsonNode h = status.path("host");
        sb.append("Host     ").append(h.path("hostname").asString()).append("  ").append(h.path("wsl").asBoolean() ? "WSL2" : "Linux")
                .append(", ").append(h.path("systemd").asBoolean() ? "systemd" : "no systemd").append('\n');
        JsonNode s = status.path("source");
        if (s.has("repo")) {
            sb.append("Source   ").append(s.path("repo").asString()).append(" @ ")
                    .append(s.path("commit").isNull() ? "working tree" : s.path("commit").asString()).append('\n');
        }
        JsonNode lr = status.path("lastRun");
        if (lr.isNull() || lr.isMissingNode()) {
            sb.append("Last run (none yet)\n");
        } else {
            JsonNode sum = lr.path("summary");
            sb.append("Last run ").append(lr.path("command").asString()).append(" at ").append(lr.path("startedAt").asString())
                    .append(": ").append(sum.path("ok").asInt()).append(" ok, ").append(sum.path("change").asInt()).append(" change, ")
                    .append(sum.path("drift").asInt()).append(" drift, ").append(sum.path("skipped").asInt()).append(" skipped, ")
                    .append(sum.path("error").asInt()).append(" error\n");
        }
        for (JsonNode d : status.path("drift")) sb.append("  ! ").append(d.asString()).append("  drift\n");
        sb.append("Managed  ").append(status.path("managedResources").asInt()).append(" resources applied by the agent\n");
        return sb.toString();
    }
}
