package io.devbox.agent.cli;

import io.devbox.agent.config.ConfigException;
import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.fleet.Fleet;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Json;
import io.devbox.agent.host.Printable;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.report.History;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.MarkdownReport;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.report.StatusReport;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.source.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every renderer of text for a person (plan, apply, drift as text and Markdown, history, status, fleet, errors) shown
 * a value full of terminal controls: none of them reaches the output raw. JSON stays JSON (its own escaping).
 */
class ControlCharactersRenderTest {
    /** A developer's env value: set the window title, ring, clear the screen, return to column 0, 8-bit CSI, bidi. */
    static final String EVIL = "GOPROXY=\u001b]0;OWNED\u0007\u001b[2J\rfake\u009b31m\u202eevil\u2066\u0000\u007f\u2028x\ny";

    @TempDir
    Path tmp;

    private static ResourcePlan resource(Status status, String reason) {
        Origin origin = new Origin("profiles/" + EVIL + ".yaml", 3, 5);
        List<Change> changes = List.of(
                Change.of("go[" + EVIL + "]", "env " + EVIL, Layer.PERSISTED, EVIL.replace("\n", ""), "to " + EVIL.replace("\n", ""), origin),
                Change.of("go[" + EVIL + "]", "multi", Layer.PERSISTED, null, EVIL, origin),
                // a file-like change: its unified diff is shown line by line
                Change.of("go[" + EVIL + "]", "script", Layer.PERSISTED, "sha256:a", "sha256:b", origin)
                        .withContent("export A=1\n" + EVIL.replace("\n", "") + "\n", "export A=2\n" + EVIL.replace("\n", "") + "\rmore\n"));
        return new ResourcePlan("go[" + EVIL + "]", "go", EVIL, status, changes, origin, reason,
                List.of("warning " + EVIL), "fp", List.of("cgroup[" + EVIL + "]"), 2);
    }

    /** The same resource as an apply leaves it (applied), or as a prune a changed selector causes. */
    private static List<ResourcePlan> applyResults() {
        List<ResourcePlan> out = new ArrayList<>();
        for (Status s : Status.values()) out.add(resource(s, "reason " + EVIL));
        out.add(resource(Status.CHANGE, "reason " + EVIL).asApplied());
        ResourcePlan p = resource(Status.CHANGE, "labels changed: ci=" + EVIL + " missing");
        out.add(new ResourcePlan(p.id(), p.kind(), p.name(), Status.CHANGE, p.changes(), null, p.reason(), p.warnings(),
                p.fingerprint(), p.dependsOn(), p.position(), io.devbox.agent.engine.Action.REMOVE, io.devbox.agent.engine.Prune.SELECTOR, false));
        return out;
    }

    private static RunInfo run() {
        RunInfo.SourceInfo source = new RunInfo.SourceInfo("https://example.com/" + EVIL, "main" + EVIL, "3f9c2e1" + EVIL,
                "signer " + EVIL, "2026-11-29T10:00:00Z", "error " + EVIL, "badc0de" + EVIL, List.of("bad " + EVIL),
                List.of("note " + EVIL));
        List<ResourcePlan> resources = new ArrayList<>();
        for (Status s : Status.values()) resources.add(resource(s, "reason " + EVIL));
        return new RunInfo("20261129T100000Z-plan-abcd", "plan", "2026-11-29T10:00:00Z", 12, source,
                new Facts("dev-" + EVIL, "boot-" + EVIL, true, false, "dev", "/home/dev", true),
                List.of("base", EVIL), "digest", resources, List.of(RunError.of("run error " + EVIL),
                new RunError("profiles/" + EVIL + ".yaml", 2, 3, "bad " + EVIL)));
    }

    /** No control character at all except line feeds (the output's own line structure). */
    private static void assertPrintable(String what, String out) {
        assertThat(out).as(what).contains("OWNED");
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\n') continue;
            assertThat(Printable.isUnsafe(c)).as(what + ": raw U+%04X at %d in:%n%s", (int) c, i, out).isFalse();
        }
    }

    @Test
    void textPlanApplyAndDrift() {
        RunInfo run = run();
        for (boolean color : List.of(false, true)) {
            TextRenderer text = new TextRenderer(color);
            String out = text.header(run) + text.resources(applyResults(), true) + text.planSummary(run.summary())
                    + text.applyResults(applyResults()) + text.applySummary(applyResults());
            for (var e : run.errors()) out += "error: " + e.render() + "\n";
            // the renderer's own colors are the only escape sequences it may print
            String withoutOwnColors = out.replaceAll("\u001b\\[[0-9]+m", "");
            assertPrintable("text, color " + color, withoutOwnColors);
            assertThat(withoutOwnColors).contains("GOPROXY=\\e]0;OWNED\\u0007\\e[2J\\rfake\\u009b31m\\u202eevil");
            // the content diff's lines, the apply results and a selector prune's reason: escaped like every value
            assertThat(withoutOwnColors).contains("            +GOPROXY=\\e]0;OWNED", "            +export A=2",
                    "more", "changed", "failed: reason GOPROXY=\\e]0;OWNED", "labels changed: ci=GOPROXY=\\e]0;OWNED",
                    "error: profiles/GOPROXY=\\e]0;OWNED");
        }
    }

    @Test
    void theContentDiffOfAPlanEscapesEachLine() {
        String out = new TextRenderer(false).resources(List.of(resource(Status.CHANGE, null)), false);
        List<String> diff = out.lines().filter(l -> l.startsWith("            ")).toList();
        assertThat(diff).contains("            @@ -1,2 +1,2 @@", "            -export A=1", "            +export A=2");
        // one line of the file stays one line of the diff: its CR, LS and NUL cannot start another
        assertThat(diff).anySatisfy(l -> assertThat(l).startsWith("            +GOPROXY=\\e]0;OWNED").contains("\\rmore"));
        assertPrintable("content diff", out);
    }

    @Test
    void multiLineReasonsStayIndentedUnderTheirResource() {
        ResourcePlan r = resource(Status.ERROR, "first line\n  ~ sysctl[forged]  profiles/x.yaml:1\n\u001b[1Alast");
        String out = new TextRenderer(false).resources(List.of(r), false);
        assertThat(out.lines().filter(l -> l.startsWith("  ~"))).isEmpty();
        assertThat(out).contains("        first line\n        " + "  ~ sysctl[forged]").contains("        \\e[1Alast");
    }

    @Test
    void markdownDriftReport() {
        String md = MarkdownReport.render(run());
        assertPrintable("markdown", md);
        // a row stays one row: a value cannot end the table or start a heading
        assertThat(md.lines().filter(l -> l.startsWith("| `go["))).allSatisfy(l -> assertThat(l).endsWith("|"));
    }

    @Test
    void historyAndStatusFromRunRecords() throws Exception {
        RunInfo run = run();
        RunRecords records = new RunRecords(tmp.resolve("runs"));
        records.write(run);
        // a record edited by hand: any field may hold anything
        ObjectNode edited = JsonReport.document(run);
        edited.put("command", "apply" + EVIL).put("startedAt", EVIL).putObject("source").put("commit", "\u001b]0;OWNED\u0007");
        Files.writeString(tmp.resolve("runs/20261129T100001Z-x.json"), JsonReport.pretty(edited));
        ObjectNode list = History.list(records, 10);
        assertPrintable("history table", History.table(list));
        JsonNode record = records.read(run.id()).orElseThrow();
        assertPrintable("history show", History.show(record));

        Files.writeString(tmp.resolve("source.json"), JsonReport.pretty(sourceState()));
        ObjectNode status = StatusReport.build(run.host(), records, AppliedState.empty());
        StatusReport.addDetails(status, tmp, "boot", List.of(new StatusReport.OverrideInfo("sysctl[" + EVIL + "]",
                "because " + EVIL, "dev" + EVIL, "2026-12-01T00:00:00Z")));
        assertPrintable("status", StatusReport.text(status));
        // JSON keeps its own escaping: still one valid document with the value intact
        assertThat(Json.read(JsonReport.pretty(status).getBytes()).path("overrides").get(0).path("reason").asString())
                .isEqualTo("because " + EVIL);
    }

    private static ObjectNode sourceState() {
        ObjectNode n = Json.object();
        n.put("formatVersion", 1);
        n.put("repo", "https://example.com/" + EVIL);
        n.put("error", "fetch failed " + EVIL);
        n.put("badCommit", "badc0de" + EVIL);
        n.putArray("badCommitErrors").add("profiles/a.yaml:1:1: " + EVIL);
        return n;
    }

    @Test
    void fleetTable() {
        ObjectNode fleet = Json.object();
        fleet.put("repo", "/srv/" + EVIL);
        var hosts = fleet.putArray("hosts");
        ObjectNode h = hosts.addObject();
        h.put("hostname", "dev-" + EVIL);
        h.put("commit", "3f9c2e1" + EVIL);
        h.put("ageSeconds", 5);
        h.putObject("summary").put("ok", 1);
        h.putArray("overrides").addObject().put("id", "sysctl[" + EVIL + "]");
        h.putObject("source").put("error", "unreachable " + EVIL);
        hosts.addObject().put("hostname", "broken-" + EVIL).put("error", "unreadable report " + EVIL);
        assertPrintable("fleet", io.devbox.agent.fleet.FleetText.render(fleet));
    }

    @Test
    void errorMessages() {
        List<Exception> errors = List.of(
                new ProfileException(List.of(new ProfileError(new Origin("profiles/" + EVIL, 1, 2), "bad " + EVIL))),
                new ConfigException(List.of(new ProfileError(new Origin("/etc/devbox-agent/agent.yaml", 1, 2), "bad " + EVIL))),
                new SourceException("cannot fetch " + EVIL),
                new AccessDeniedException("/var/lib/devbox-agent/" + EVIL),
                new java.io.IOException("cannot read " + EVIL),
                new IllegalStateException("boom " + EVIL));
        for (Exception e : errors) {
            StringWriter out = new StringWriter();
            Failures.report(e, new PrintWriter(out), false);
            assertPrintable(e.getClass().getSimpleName(), out.toString());
        }
        StringWriter out = new StringWriter();
        Failures.report(new AccessDeniedException("/var/lib/devbox-agent/lock"), new PrintWriter(out), false);
        assertThat(out.toString()).isEqualTo("agent: permission denied: /var/lib/devbox-agent/lock" + System.lineSeparator());
    }

    @Test
    void jsonStaysJson() {
        String json = JsonReport.pretty(JsonReport.document(run()));
        JsonNode doc = Json.read(json.getBytes());
        assertThat(doc.path("resources").get(0).path("changes").get(1).path("to").asString()).isEqualTo(EVIL);
        assertThat(json).doesNotContain("\u001b").doesNotContain("\u0007");
    }
}
