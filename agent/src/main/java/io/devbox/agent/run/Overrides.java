package io.devbox.agent.run;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Times;
import io.devbox.agent.report.JsonReport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Temporary exceptions a person grants on this box ({@code agent override RESOURCE --for 8h --reason TEXT}): while
 * one is active the resource is reported as {@code override} and not corrected; once it expires, convergence
 * resumes. Kept in {@code <state>/overrides.json}, written atomically.
 */
public final class Overrides {
    private static final Pattern RESOURCE = Pattern.compile("[a-z][a-z0-9.-]*\\[[^\\]\\[\\n\\r\\x00]+\\]");
    static final Duration MAX = Duration.ofDays(90);

    /** One override; {@code by} is who set it. */
    public record Entry(String resource, String reason, String by, Instant createdAt, Instant expiresAt) {
        public boolean activeAt(Instant now) {
            return now.isBefore(expiresAt);
        }

        /** What plans and reports show as the resource's reason. */
        public String describe() {
            return "override until " + Times.iso(expiresAt) + " by " + by + ": " + reason;
        }
    }

    private final Path file;

    public Overrides(Path stateDir) {
        this.file = stateDir.resolve("overrides.json");
    }

    public Path file() {
        return file;
    }

    /** Why {@code resource} is not a resource id ({@code kind[name]}), or empty when it is one. */
    public static Optional<String> resourceProblem(String resource) {
        if (resource == null || !RESOURCE.matcher(resource).matches()) {
            return Optional.of("'" + resource + "' is not a resource id like sysctl[vm.swappiness] or unit[docker.service]");
        }
        return Optional.empty();
    }

    /** Every stored entry (expired ones too, until the next write drops them), ordered by resource. */
    public List<Entry> all() throws IOException {
        JsonNode root;
        try {
            root = Json.read(AtomicFiles.readState(file));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (JacksonException e) {
            throw new IOException("overrides file " + file + " is not valid JSON (" + e.getOriginalMessage()
                    + "); fix it or remove it with `agent override --clear`");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode n : root.path("overrides")) {
            try {
                out.add(new Entry(n.path("resource").asString(), n.path("reason").asString(""), n.path("by").asString("unknown"),
                        Instant.parse(n.path("createdAt").asString()), Instant.parse(n.path("expiresAt").asString())));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IOException("overrides file " + file + " has an entry with a bad time: " + n);
            }
        }
        out.sort((a, b) -> a.resource().compareTo(b.resource())); // not Comparator.comparing: see ProfileFile.BY_PATH
        return out;
    }

    public List<Entry> active(Instant now) throws IOException {
        return all().stream().filter(e -> e.activeAt(now)).toList();
    }

    /** The lookup the planner takes: for a resource id, the description of its active override. */
    public static java.util.function.Function<String, Optional<String>> lookup(List<Entry> active) {
        return id -> {
            // a loop, not Stream.findFirst: see FactsProbe.first
            for (Entry e : active) if (e.resource().equals(id)) return Optional.of(e.describe());
            return Optional.empty();
        };
    }

    /** Adds or replaces the override of {@code resource}; expired entries are dropped on the way. */
    public Entry set(String resource, Duration duration, String reason, String by, Instant now) throws IOException {
        resourceProblem(resource).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("--reason is required: say why the box may differ");
        if (duration.isZero() || duration.isNegative()) throw new IllegalArgumentException("--for must be longer than 0s");
        if (duration.compareTo(MAX) > 0) throw new IllegalArgumentException("--for may be at most 90d; an override is temporary");
        Instant at = Times.seconds(now);
        Entry e = new Entry(resource, reason.strip(), by, at, at.plus(duration));
        List<Entry> next = new ArrayList<>(active(now).stream().filter(x -> !x.resource().equals(resource)).toList());
        next.add(e);
        save(next);
        return e;
    }

    /** Removes the override of {@code resource}, or every one when null; returns the removed entries. */
    public List<Entry> clear(String resource, Instant now) throws IOException {
        List<Entry> all = all();
        List<Entry> removed = all.stream().filter(e -> resource == null || e.resource().equals(resource)).toList();
        List<Entry> kept = all.stream().filter(e -> !removed.contains(e) && e.activeAt(now)).toList();
        if (!removed.isEmpty() || kept.size() != all.size()) save(kept);
        return removed.stream().filter(e -> e.activeAt(now)).toList();
    }

    private void save(List<Entry> entries) throws IOException {
        ObjectNode root = Json.object();
        root.put("formatVersion", 1);
        ArrayNode arr = root.putArray("overrides");
        for (Entry e : entries) {
            ObjectNode n = arr.addObject();
            n.put("resource", e.resource());
            n.put("reason", e.reason());
            n.put("by", e.by());
            n.put("createdAt", Times.iso(e.createdAt()));
            n.put("expiresAt", Times.iso(e.expiresAt()));
        }
        AtomicFiles.write(file, JsonReport.pretty(root).getBytes(java.nio.charset.StandardCharsets.UTF_8), "rw-------");
    }
}
