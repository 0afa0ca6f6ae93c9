package io.devbox.agent.cli;

import io.devbox.agent.engine.Status;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.MarkdownReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;

final class DriftCommand implements Callable<Integer> {
    enum Format { text, json, markdown }

    private final CommonOptions common;
    private CommandSpec spec;
    private Format format = Format.text;

    private DriftCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        DriftCommand c = new DriftCommand(common);
        c.spec = Specs.command(c, "drift", "Report what changed on this box behind the agent's back; exit 0 none, 2 drift, 1 error.")
                .option(Specs.option("--format", "text, json or markdown (default: ${DEFAULT-VALUE}).", Format.class)
                        .paramLabel("FORMAT").defaultValue("text"), c.format, v -> c.format = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        RunInfo run = Sessions.open(common).plan("drift", Set.of());
        PrintWriter o = spec.commandLine().getOut();
        switch (format) {
            case json -> o.print(JsonReport.pretty(JsonReport.document(run)));
            case markdown -> o.print(MarkdownReport.render(run));
            case text -> {
                TextRenderer text = new TextRenderer(common.color());
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
