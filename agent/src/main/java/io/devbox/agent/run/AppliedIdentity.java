package io.devbox.agent.run;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Json;
import io.devbox.agent.host.Times;
import io.devbox.agent.profile.HostIdentity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * This box's hostname and labels as they were at the last apply ({@code <state>/identity.json}). Selectors match
 * them: when they change, profiles stop (or start) applying to the box, and what the agent applied for the old ones
 * would be pruned. A forgotten {@code --label} must not unregister a runner: such prunes need {@code --allow-prune},
 * and the plan says which label or hostname changed.
 */
record AppliedIdentity(String hostname, Map<String, String> labels) {
    static final String FILE = "identity.json";

    AppliedIdentity {
        labels = Map.copyOf(labels);
    }

    static AppliedIdentity of(HostIdentity id) {
        return new AppliedIdentity(id.hostname(), id.labels());
    }

    /** What was saved, or empty before the first apply (or when the file is unreadable: then nothing is guarded). */
    static Optional<AppliedIdentity> read(Path stateDir) {
        try {
            JsonNode n = Json.read(Files.readAllBytes(stateDir.resolve(FILE)));
            Map<String, String> labels = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.path("labels").properties()) labels.put(e.getKey(), e.getValue().asString(""));
            return Optional.of(new AppliedIdentity(n.path("hostname").asString(null), labels));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }

    void write(Path stateDir, Instant at) throws IOException {
        ObjectNode n = Json.object();
        n.put("formatVersion", 1);
        n.put("hostname", hostname);
        ObjectNode l = n.putObject("labels");
        new TreeMap<>(labels).forEach(l::put);
        n.put("appliedAt", Times.iso(at));
        AtomicFiles.write(stateDir.resolve(FILE), Json.pretty(n), "rw-------");
    }

    /** The identity the box had, as selectors and variables see it (user and home as they are now). */
    HostIdentity asHost(HostIdentity now) {
        return new HostIdentity(hostname, labels, now.user(), now.home());
    }

    /**
     * What changed from this identity to {@code now}: {@code labels changed: ci=runner missing, team: backend -> db},
     * {@code hostname changed: dev-42 -> dev-43}; empty when nothing did.
     */
    Optional<String> changeTo(AppliedIdentity now) {
        List<String> parts = new ArrayList<>();
        if (!Objects.equals(hostname, now.hostname())) parts.add("hostname changed: " + hostname + " -> " + now.hostname());
        List<String> labelChanges = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(labels.keySet());
        keys.addAll(now.labels().keySet());
        for (String k : keys) {
            String was = labels.get(k);
            String is = now.labels().get(k);
            if (Objects.equals(was, is)) continue;
            if (is == null) labelChanges.add(k + "=" + was + " missing");
            else if (was == null) labelChanges.add(k + "=" + is + " added");
            else labelChanges.add(k + ": " + was + " -> " + is);
        }
        if (!labelChanges.isEmpty()) parts.add("labels changed: " + String.join(", ", labelChanges));
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }
}
