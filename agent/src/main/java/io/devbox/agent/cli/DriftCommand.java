package io.devbox.agent.cli;

import io.devbox.agent.engine.Status;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.MarkdownReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "drift", description = "Report what changed on this box behind the agent's back; exit 0 none, 2 drift, 1 error.")
final class DriftCommand implements Callable<Integer> {
    enum Format { text, json, markdown }

    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, json or markdown (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    Format format;

    @Override
    public Integer call() throws Exception {
        RunInfo run = Sessions.open(parent.common).plan("drift", Set.of());
        PrintWriter o = spec.commandLine().getOut();
        switch (format) {
            case json -> o.print(JsonReport.pretty(JsonReport.document(run)));
            case markdown -> o.print(MarkdownReport.render(run));
            case text -> {
                TextRenderer text = new TextRenderer(parent.common.color());
                o.print(text.header(run));
                String resources = text.resources(run.resources(), false);
                o.print(resources);
                if (!resources.isEmpty()) o.println();
                o.print(text.planSummary(run.summary()));
            }
        }
        o.flush();
        if (Session.failed(run)) return ExitCodes.ERROR;
        return run.resources().stream().anyMatch(r -> r.status() == Status.DRIFT) ? ExitCodes.PENDING : ExitCodes.OK;
    }
}
