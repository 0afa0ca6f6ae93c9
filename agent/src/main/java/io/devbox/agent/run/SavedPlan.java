package io.devbox.agent.run;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Json;
import io.devbox.agent.report.JsonReport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan written by {@code plan --out}: what it was planned from (commit, profiles digest) and, per pending
 * resource, the fingerprint of the probed state. {@code apply PLAN} applies exactly these items.
 */
public record SavedPlan(String commit, String profilesDigest, Map<String, String> fingerprints) {

    public static SavedPlan read(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.read(AtomicFiles.readCapped(file, AtomicFiles.MAX_STATE_BYTES));
        } catch (NoSuchFileException e) {
            throw new IOException("no plan file " + file);
        } catch (JacksonException e) {
            throw new IOException("plan file " + file + " is not a plan written by `agent plan --out` ("
                    + e.getOriginalMessage() + ")");
        }
        if (root.path("formatVersion").asInt(0) != JsonReport.FORMAT_VERSION || !root.has("resources")) {
            throw new IOException("plan file " + file + " is not a plan written by `agent plan --out` of this version");
        }
        Map<String, String> fps = new LinkedHashMap<>();
        for (JsonNode r : root.path("resources")) {
            String status = r.path("status").asString("");
            if ((status.equals("change") || status.equals("drift")) && !r.path("fingerprint").isNull()) {
                fps.put(r.path("id").asString(), r.path("fingerprint").asString());
            }
        }
        JsonNode commit = root.path("source").path("commit");
        return new SavedPlan(commit.isNull() || commit.isMissingNode() ? null : commit.asString(),
                root.path("profilesDigest").asString(null), fps);
    }
}
