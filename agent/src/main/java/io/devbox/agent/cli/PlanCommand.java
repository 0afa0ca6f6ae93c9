package io.devbox.agent.cli;

import io.devbox.agent.engine.Summary;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "plan", description = "Show what apply would change on this box (read-only).")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when changes are pending (0 none, 1 error).")
    boolean detailedExitCode;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    @Option(names = "--out", paramLabel = "PLAN", description = "Save the plan for `agent apply PLAN`.")
    Path out;

    @Option(names = "--only", paramLabel = "KIND", split = ",", description = "Plan only these kinds (e.g. sysctl).")
    List<String> only = new ArrayList<>();

    @Option(names = "--all", description = "Also list resources that are already as wanted.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(parent.common);
        RunInfo run = session.plan("plan", Sessions.only(only));
        Summary summary = run.summary();
        PrintWriter o = spec.commandLine().getOut();
        if (out != null) {
            AtomicFiles.write(out.toAbsolutePath(), JsonReport.prettyBytes(JsonReport.document(run)), "rw-------");
        }
        if (json) {
            o.print(JsonReport.pretty(JsonReport.document(run)));
        } else {
            TextRenderer text = new TextRenderer(parent.common.color());
            o.print(text.header(run));
            o.print(text.resources(run.resources(), all));
            if (!run.resources().isEmpty() && summary.pending() + summary.error() + summary.skipped() > 0) o.println();
            for (String e : run.errors()) o.println("error: " + e);
            o.print(text.planSummary(summary));
            if (out != null) o.println("Saved the plan to " + out + "; apply it with: agent apply " + out);
        }
        o.flush();
        if (Session.failed(run)) return ExitCodes.ERROR;
        return detailedExitCode && summary.pending() > 0 ? ExitCodes.PENDING : ExitCodes.OK;
    }
}
