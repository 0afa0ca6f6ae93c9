package io.devbox.agent.fleet;

import io.devbox.agent.host.Json;
import io.devbox.agent.source.SourceException;
import org.eclipse.jgit.lib.ObjectId;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * {@code agent fleet}: every box's latest report, read from all shard refs (and legacy per-box refs) of the profile
 * repository, with what a team lead asks of it: how far each box is behind the branch head, which boxes were not seen
 * for a while, which resources drift or fail on how many boxes, and how the latest commits rolled out.
 * <pre>
 * {repo, generatedAt, staleAfterSeconds, head{ref, commit, error},
 *  hosts[{hostname, status, stale, reportedAt, ageSeconds, commit, lag, labels{}, summary{}, drift[], errors[],
 *         overrides[], run{}, source{}, reportRef, reportCommit, legacy, error}],
 *  drift[{id, boxes, hosts[]}], errors[{id, boxes, hosts[]}],
 *  rollout{commits[{commit, subject, at, boxes}], older, elsewhere}}
 * </pre>
 * {@code status} is {@code error} (a resource or the source failed, or the report is unreadable), {@code drift},
 * {@code change} (changes pending) or {@code ok}; {@code lag} is null when the box's commit is not on the branch.
 */
public final class Fleet {
    /** How many of the branch's latest commits the rollout shows. */
    static final int ROLLOUT_COMMITS = 8;

    private Fleet() {
    }

    /**
     * Where the reports are: the profile repository ({@code --repo}: URL, path, or null for the working directory's),
     * the branch whose head lags are measured against (null: the remote HEAD), and the state dir for the cache clone.
     */
    public record Where(String repo, String ref, Path workingDir, Path stateDir, CredentialsProvider credentials) {
    }

    public static ObjectNode read(Where where, Clock clock, Duration timeout, Duration staleAfter)
            throws IOException, SourceException {
        ObjectNode root = Json.object();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        root.put("generatedAt", now.toString());
        root.put("staleAfterSeconds", staleAfter.toSeconds());
        try (ReportStore store = ReportStore.open(where.repo(), where.workingDir(), where.stateDir(), where.credentials(), timeout)) {
            root.put("repo", store.where());
            ObjectNode head = root.putObject("head");
            head.put("ref", where.ref());
            store.refreshReports(timeout);
            Optional<ObjectId> headId;
            try {
                headId = store.head(where.ref(), timeout);
            } catch (SourceException e) {
                headId = Optional.empty();
                head.put("error", e.getMessage());
            }
            head.put("commit", headId.map(ObjectId::name).orElse(null));
            BranchHistory history = headId.map(id -> new BranchHistory(store.repo(), id)).orElse(null);
            ArrayNode hosts = root.putArray("hosts");
            for (Box box : latestPerHost(store.reports())) hosts.add(host(box, history, now, staleAfter));
            root.set("drift", byResource(hosts, "drift"));
            root.set("errors", byResource(hosts, "errors"));
            root.set("rollout", rollout(hosts, history));
        }
        return root;
    }

    private record Box(ReportTrees.Stored stored, JsonNode report, Instant reportedAt) {
    }

    /** One report per host: where a host has several (a shard and a legacy ref not yet deleted), the newest wins. */
    private static List<Box> latestPerHost(List<ReportTrees.Stored> stored) {
        Map<String, Box> byHost = new TreeMap<>();
        for (ReportTrees.Stored s : stored) {
            JsonNode report = null;
            if (s.json().isPresent()) {
                try {
                    report = Json.read(s.json().get());
                } catch (JacksonException e) {
                    report = null;
                }
            }
            if (report != null && !report.isObject()) report = null;
            Box b = new Box(s, report, report == null ? null : instant(BoxReport.text(report, "reportedAt")));
            byHost.merge(s.hostname(), b, Fleet::newer);
        }
        return new ArrayList<>(byHost.values());
    }

    private static Box newer(Box a, Box b) {
        if (a.reportedAt() == null) return b;
        if (b.reportedAt() == null) return a;
        int c = a.reportedAt().compareTo(b.reportedAt());
        if (c != 0) return c > 0 ? a : b;
        return a.stored().legacy() ? b : a;
    }

    private static ObjectNode host(Box box, BranchHistory history, Instant now, Duration staleAfter) {
        ObjectNode h = Json.object();
        ReportTrees.Stored s = box.stored();
        h.put("hostname", s.hostname());
        JsonNode r = box.report();
        if (r == null) {
            h.put("status", "error");
            h.put("stale", false);
            h.put("error", s.problem() != null ? s.problem() : "unreadable report");
        } else {
            JsonNode summary = r.path("summary");
            JsonNode source = r.path("source");
            boolean failed = summary.path("error").asInt(0) > 0 || BoxReport.text(source, "error") != null;
            String status = failed ? "error" : summary.path("drift").asInt(0) > 0 ? "drift"
                    : summary.path("change").asInt(0) > 0 ? "change" : "ok";
            h.put("status", status);
            Long age = box.reportedAt() == null ? null : Math.max(0, Duration.between(box.reportedAt(), now).toSeconds());
            h.put("stale", age == null || age > staleAfter.toSeconds());
            h.put("reportedAt", BoxReport.text(r, "reportedAt"));
            h.put("ageSeconds", age);
            String commit = BoxReport.text(source, "commit");
            h.put("commit", commit);
            OptionalInt lag = history == null ? OptionalInt.empty() : history.lag(commit);
            if (lag.isPresent()) h.put("lag", lag.getAsInt());
            else h.putNull("lag");
            h.set("labels", stringsOnly(r.path("labels")));
            h.set("summary", summary.isObject() ? summary : Json.object());
            h.set("drift", arrayOrEmpty(r.path("drift")));
            h.set("errors", arrayOrEmpty(r.path("errors")));
            h.set("overrides", arrayOrEmpty(r.path("overrides")));
            h.set("run", r.path("run").isObject() ? r.path("run") : Json.object());
            h.set("source", source.isObject() ? source : Json.object());
        }
        h.put("reportRef", s.ref());
        h.put("reportCommit", s.commit().name());
        h.put("legacy", s.legacy());
        return h;
    }

    /** Resources by how many boxes report them under {@code field} (drift, errors): most boxes first, then by id. */
    private static ArrayNode byResource(ArrayNode hosts, String field) {
        Map<String, List<String>> boxes = new TreeMap<>();
        for (JsonNode h : hosts) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (JsonNode id : h.path(field)) {
                if (id.isString() && seen.add(id.asString())) {
                    boxes.computeIfAbsent(id.asString(), k -> new ArrayList<>()).add(h.path("hostname").asString());
                }
            }
        }
        List<Map.Entry<String, List<String>>> sorted = new ArrayList<>(boxes.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<String, List<String>> e) -> -e.getValue().size()).thenComparing(Map.Entry::getKey));
        ArrayNode out = Json.array();
        for (Map.Entry<String, List<String>> e : sorted) {
            ObjectNode n = out.addObject();
            n.put("id", e.getKey());
            n.put("boxes", e.getValue().size());
            ArrayNode names = n.putArray("hosts");
            e.getValue().forEach(names::add);
        }
        return out;
    }

    /** Boxes on each of the branch's latest commits; {@code older}: on an earlier commit of it; {@code elsewhere}: not on it. */
    private static ObjectNode rollout(ArrayNode hosts, BranchHistory history) throws IOException {
        ObjectNode out = Json.object();
        ArrayNode commits = out.putArray("commits");
        Map<String, Integer> onCommit = new HashMap<>();
        int older = 0;
        int elsewhere = 0;
        List<BranchHistory.Commit> latest = history == null ? List.of() : history.latest(ROLLOUT_COMMITS);
        java.util.Set<String> shown = new java.util.HashSet<>();
        latest.forEach(c -> shown.add(c.id()));
        for (JsonNode h : hosts) {
            String commit = h.path("commit").isString() ? h.path("commit").asString() : null;
            if (commit != null && shown.contains(commit)) onCommit.merge(commit, 1, Integer::sum);
            else if (h.path("lag").isNumber()) older++;
            else elsewhere++;
        }
        for (BranchHistory.Commit c : latest) {
            ObjectNode n = commits.addObject();
            n.put("commit", c.id());
            n.put("subject", c.subject());
            n.put("at", c.at().toString());
            n.put("boxes", onCommit.getOrDefault(c.id(), 0));
        }
        out.put("older", older);
        out.put("elsewhere", elsewhere);
        return out;
    }

    private static ObjectNode stringsOnly(JsonNode labels) {
        ObjectNode out = Json.object();
        if (labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) out.put(e.getKey(), e.getValue().asString());
            }
        }
        return out;
    }

    private static JsonNode arrayOrEmpty(JsonNode n) {
        return n.isArray() ? n : Json.array();
    }

    private static Instant instant(String at) {
        if (at == null) return null;
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
