package io.devbox.agent.report;

import io.devbox.agent.host.Json;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Summary;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;


/** The one JSON document of plans, drift reports and run records (DESIGN.md "JSON output"). */
public final class JsonReport {
    public static final int FORMAT_VERSION = 1;

    private JsonReport() {
    }

    public static ObjectNode document(RunInfo run) {
        ObjectNode root = Json.object();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("id", run.id());
        root.put("command", run.command());
        root.put("startedAt", run.startedAt());
        root.put("durationMs", run.durationMillis());
        ObjectNode source = root.putObject("source");
        if (run.source() != null) {
            source.put("repo", run.source().repo());
            source.put("ref", run.source().ref());
            source.put("commit", run.source().commit());
            source.put("signature", run.source().signature());
            source.put("fetchedAt", run.source().fetchedAt());
            source.put("error", run.source().error());
            source.put("badCommit", run.source().badCommit());
            ArrayNode bad = source.putArray("badCommitErrors");
            run.source().badCommitErrors().forEach(bad::add);
            ArrayNode notes = source.putArray("notes");
            run.source().notes().forEach(notes::add);
        }
        ObjectNode host = root.putObject("host");
        host.put("hostname", run.host().hostname());
        host.put("bootId", run.host().bootId());
        host.put("wsl", run.host().wsl());
        host.put("systemd", run.host().systemd());
        ArrayNode only = root.putArray("only");
        run.only().forEach(only::add);
        root.put("probed", run.probed());
        ArrayNode profiles = root.putArray("profiles");
        run.profiles().forEach(profiles::add);
        root.put("profilesDigest", run.profilesDigest());
        ArrayNode resources = root.putArray("resources");
        for (ResourcePlan r : run.resources()) resources.add(resource(r));
        root.set("summary", summary(run.summary()));
        errors(root, run.errors());
        return root;
    }

    /** {@code "errors": [{file, line, column, message}]}: located profile errors, or run errors with null positions. */
    public static void errors(ObjectNode root, java.util.List<RunError> list) {
        ArrayNode errors = root.putArray("errors");
        for (RunError e : list) {
            ObjectNode n = errors.addObject();
            if (e.located()) {
                n.put("file", e.file());
                if (e.line() > 0) n.put("line", e.line()); else n.putNull("line");
                if (e.column() > 0) n.put("column", e.column()); else n.putNull("column");
            } else {
                n.putNull("file");
                n.putNull("line");
                n.putNull("column");
            }
            n.put("message", e.message());
        }
    }

    /** Lines of a content diff a JSON change carries at most. */
    static final int DIFF_LINES = 400;

    static ObjectNode resource(ResourcePlan r) {
        ObjectNode n = Json.object();
        n.put("id", r.id());
        n.put("kind", r.kind());
        n.put("name", r.name());
        n.put("status", r.status().label());
        if (r.action() != null) n.put("action", r.action().name().toLowerCase(java.util.Locale.ROOT));
        else n.putNull("action");
        if (r.prune() != null) n.put("prune", r.prune().label());
        else n.putNull("prune");
        n.put("applied", r.applied());
        ArrayNode changes = n.putArray("changes");
        for (Change c : r.changes()) {
            ObjectNode cn = changes.addObject();
            cn.put("field", c.field());
            cn.put("layer", c.layer().label());
            cn.put("from", c.from());
            cn.put("to", c.to());
            cn.put("disruptive", c.disruptive());
            if (c.origin() != null) cn.put("origin", c.origin().shortForm());
            if (c.content() != null) cn.put("diff", String.join("\n", ContentDiff.lines(c.content(), DIFF_LINES)));
        }
        ObjectNode origin = n.putObject("origin");
        if (r.origin() != null) {
            origin.put("file", r.origin().file());
            origin.put("line", r.origin().line());
        }
        n.put("reason", r.reason());
        ArrayNode warnings = n.putArray("warnings");
        r.warnings().forEach(warnings::add);
        n.put("fingerprint", r.fingerprint());
        ArrayNode deps = n.putArray("dependsOn");
        r.dependsOn().forEach(deps::add);
        n.put("position", r.position());
        return n;
    }

    static ObjectNode summary(Summary s) {
        ObjectNode n = Json.object();
        n.put("ok", s.ok());
        n.put("change", s.changePending());
        n.put("drift", s.drift());
        n.put("override", s.override());
        n.put("skipped", s.skipped());
        n.put("error", s.error());
        n.put("add", s.add());
        n.put("update", s.change());
        n.put("remove", s.remove());
        n.put("applied", s.applied());
        return n;
    }

    public static String pretty(ObjectNode doc) {
        return io.devbox.agent.host.Redactor.redact(Json.prettyString(doc) + "\n");
    }

    /** {@link #pretty} as UTF-8 bytes, written straight to bytes (a large plan's record is megabytes); redacted too. */
    public static byte[] prettyBytes(ObjectNode doc) {
        byte[] json = Json.pretty(doc);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return io.devbox.agent.host.Redactor.redact(withNewline);
    }
}
