package io.devbox.agent.cli;

import io.devbox.agent.fleet.Fleet;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.GitCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "fleet", description = "Every box's latest report from refs/devbox/reports/* of the profile repository: applied commit, age, counts, overrides.")
final class FleetCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "{hosts: [{hostname, ...}]} instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(parent.common);
        ObjectNode fleet = Fleet.read(parent.common.repo, Path.of("").toAbsolutePath(), session.state().path(),
                GitCredentials.forFetch(session.host().commands()), Clock.systemUTC(), Duration.ofSeconds(60));
        spec.commandLine().getOut().print(json ? JsonReport.pretty(fleet) : Fleet.text(fleet));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
