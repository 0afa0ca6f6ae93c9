package io.devbox.agent.cli;

import io.devbox.agent.host.Times;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.report.StatusReport;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

import java.util.concurrent.Callable;

final class StatusCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private boolean json;

    private StatusCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        StatusCommand c = new StatusCommand(common);
        c.spec = Specs.command(c, "status", "The box, the last run and its drift, from the agent's state (no probing).")
                .flag("--json", "One JSON document instead of text.", v -> c.json = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(common);
        ObjectNode status = StatusReport.build(session.host().facts(), session.runRecords(),
                session.state().loadApplied());
        StatusReport.addDetails(status, session.state().path(), session.host().facts().bootId(),
                session.overrides().active(java.time.Instant.now()).stream()
                        .map(e -> new StatusReport.OverrideInfo(e.resource(), e.reason(), e.by(), Times.iso(e.expiresAt()))).toList());
        spec.commandLine().getOut().print(json ? JsonReport.pretty(status) : StatusReport.text(status));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
