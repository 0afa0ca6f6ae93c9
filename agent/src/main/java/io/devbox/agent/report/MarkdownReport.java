package io.devbox.agent.report;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.engine.Summary;
import io.devbox.agent.host.Printable;

/**
 * A drift report fit to paste into an issue: rollout, drift and overrides in separate sections. Every value is shown
 * through {@link Printable} (controls escaped) and kept inside its table cell or code span.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(RunInfo run) {
        StringBuilder sb = new StringBuilder();
        sb.append("## devbox-agent drift report: ").append(cell(run.host().hostname())).append("\n\n");
        if (run.source() != null) {
            sb.append("Source ").append(code(run.source().repo())).append(" at ")
                    .append(code(run.source().commit() == null ? "working tree" : run.source().commit())).append(", ");
        }
        sb.append("run ").append(run.startedAt()).append(".\n\n");
        Summary s = run.summary();
        sb.append("| ok | rollout | drift | override | skipped | error |\n|---:|---:|---:|---:|---:|---:|\n");
        sb.append("| ").append(s.ok()).append(" | ").append(s.changePending()).append(" | ").append(s.drift())
                .append(" | ").append(s.override()).append(" | ").append(s.skipped()).append(" | ").append(s.error()).append(" |\n");
        section(sb, run, Status.DRIFT, "Drift (changed on the box behind the agent's back)");
        section(sb, run, Status.CHANGE, "Rollout (profiles changed, not applied yet)");
        section(sb, run, Status.OVERRIDE, "Overrides");
        section(sb, run, Status.ERROR, "Errors");
        return sb.toString();
    }

    private static void section(StringBuilder sb, RunInfo run, Status status, String title) {
        var rs = run.resources().stream().filter(r -> r.status() == status).toList();
        if (rs.isEmpty()) return;
        // an override's reason says who allowed the difference, why and until when: it belongs in every row
        boolean why = status == Status.OVERRIDE;
        sb.append("\n### ").append(title).append("\n\n| resource | field | box | profile | declared at |")
                .append(why ? " override |\n|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|\n");
        for (ResourcePlan r : rs) {
            String tail = why ? " " + cell(r.reason()) + " |\n" : "\n";
            if (r.changes().isEmpty()) {
                sb.append("| ").append(code(r.id())).append(" | | | | ").append(why ? " |" + tail : cell(r.reason()) + " |\n");
            }
            for (Change c : r.changes()) {
                sb.append("| ").append(code(r.id())).append(" | ").append(cell(c.field())).append(" | ").append(cell(Values.show(c.from())))
                        .append(" | ").append(cell(Values.show(c.to()))).append(" | ")
                        .append(r.origin() == null ? "" : code(r.origin().shortForm())).append(" |").append(tail);
            }
        }
    }

    /** Text in a table cell: controls escaped (line feeds too, a row is one line), pipes escaped. */
    private static String cell(String s) {
        return s == null ? "" : Printable.escape(s).replace("|", "\\|");
    }

    /** A code span; a backtick inside would end it early, so it is shown as a quote. */
    private static String code(String s) {
        return "`" + cell(s).replace('`', '\'') + "`";
    }
}
