package io.devbox.agent.watch;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.report.JsonReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the watch daemon remembers across restarts ({@code <state>/watch.json}): the boot id of its last cycle (a
 * different one means the box restarted and runtime layers must be restored), the revision it last converged to,
 * and when it last ran and stopped.
 */
public record WatchState(String bootId, String commit, String profilesDigest, String lastCycleAt, String lastRunId,
                         String stoppedAt, String stopReason, long pid) {
    public static final WatchState NONE = new WatchState(null, null, null, null, null, null, null, 0);

    static Path file(Path stateDir) {
        return stateDir.resolve("watch.json");
    }

    /** The stored state; {@link #NONE} when absent or unreadable (it only saves a cycle). */
    public static WatchState read(Path stateDir) {
        try {
            JsonNode n = Json.read(AtomicFiles.readState(file(stateDir)));
            return new WatchState(text(n, "bootId"), text(n, "commit"), text(n, "profilesDigest"), text(n, "lastCycleAt"),
                    text(n, "lastRunId"), text(n, "stoppedAt"), text(n, "stopReason"), n.path("pid").asLong(0));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    public void write(Path stateDir) throws IOException {
        ObjectNode n = Json.object();
        n.put("formatVersion", 1);
        n.put("bootId", bootId);
        n.put("commit", commit);
        n.put("profilesDigest", profilesDigest);
        n.put("lastCycleAt", lastCycleAt);
        n.put("lastRunId", lastRunId);
        n.put("stoppedAt", stoppedAt);
        n.put("stopReason", stopReason);
        n.put("pid", pid);
        AtomicFiles.write(file(stateDir), JsonReport.pretty(n).getBytes(StandardCharsets.UTF_8), "rw-------");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isString() ? v.asString() : null;
    }
}
