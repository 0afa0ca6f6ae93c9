package io.devbox.agent.cli;

import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.report.StatusReport;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

import java.util.concurrent.Callable;

@Command(name = "status", description = "The box, the last run and its drift, from the agent's state (no probing).")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(parent.common);
        ObjectNode status = StatusReport.build(session.host().facts(), session.runRecords(),
                session.state().loadApplied());
        StatusReport.addDetails(status, session.state().path(), session.host().facts().bootId(),
                session.overrides().active(java.time.Instant.now()).stream()
                        .map(e -> new StatusReport.OverrideInfo(e.resource(), e.reason(), e.by(), e.expiresAt().toString())).toList());
        spec.commandLine().getOut().print(json ? JsonReport.pretty(status) : StatusReport.text(status));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
