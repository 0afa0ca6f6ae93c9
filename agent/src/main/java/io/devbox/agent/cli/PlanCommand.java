package io.devbox.agent.cli;

import io.devbox.agent.engine.Prune;
import io.devbox.agent.engine.Summary;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Printable;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

final class PlanCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private boolean detailedExitCode;
    private boolean json;
    private Path out;
    private List<String> only = new ArrayList<>();
    private boolean all;

    private PlanCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        PlanCommand c = new PlanCommand(common);
        c.spec = Specs.command(c, "plan", "Show what apply would change on this box (read-only).")
                .flag("--detailed-exitcode", "Exit 2 when changes are pending (0 none, 1 error).", v -> c.detailedExitCode = v)
                .flag("--json", "One JSON document instead of text (also for errors).", v -> c.json = v)
                .option("--out", "PLAN", Path.class, "Save the plan for `agent apply PLAN`.", v -> c.out = v)
                .option(Specs.option("--only", "Plan only these kinds (e.g. sysctl,unit).", List.class).auxiliaryTypes(String.class)
                        .splitRegex(",").paramLabel("KIND").converters(new Inputs.KindName()), c.only, v -> c.only = v)
                .flag("--all", "Also list resources that are already as wanted.", v -> c.all = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(common);
        RunInfo run = session.plan("plan", Sessions.only(only));
        Summary summary = run.summary();
        PrintWriter o = spec.commandLine().getOut();
        if (out != null) {
            AtomicFiles.write(out.toAbsolutePath(), JsonReport.prettyBytes(JsonReport.document(run)), "rw-------");
        }
        if (json) {
            o.print(JsonReport.pretty(JsonReport.document(run)));
        } else {
            TextRenderer text = new TextRenderer(common.color());
            o.print(text.header(run));
            o.print(text.resources(run.resources(), all));
            if (!run.resources().isEmpty() && summary.pending() + summary.error() + summary.skipped() > 0) o.println();
            for (RunError e : run.errors()) o.println("error: " + e.render());
            o.print(text.planSummary(summary));
            long guarded = run.resources().stream().filter(r -> r.prune() == Prune.SELECTOR && r.pending()).count();
            if (guarded > 0) {
                o.println(guarded + (guarded == 1 ? " removal is" : " removals are") + " caused by this box's changed hostname "
                        + "or labels, not by the profiles: apply refuses " + (guarded == 1 ? "it" : "them") + " without --allow-prune.");
            }
            if (out != null) o.println("Saved the plan to " + Printable.escape(out) + "; apply it with: agent apply " + Printable.escape(out));
        }
        o.flush();
        if (Session.failed(run)) return ExitCodes.ERROR;
        return detailedExitCode && summary.pending() > 0 ? ExitCodes.PENDING : ExitCodes.OK;
    }
}
