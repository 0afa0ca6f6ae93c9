package io.devbox.agent.cli;

import io.devbox.agent.fleet.Fleet;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.GitCredentials;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

final class FleetCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private boolean json;

    private FleetCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        FleetCommand c = new FleetCommand(common);
        c.spec = Specs.command(c, "fleet", "Every box's latest report from refs/devbox/reports/* of the profile repository: "
                        + "applied commit, age, counts, overrides.")
                .flag("--json", "{hosts: [{hostname, ...}]} instead of a table.", v -> c.json = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(common);
        ObjectNode fleet = Fleet.read(common.repo, Path.of("").toAbsolutePath(), session.state().path(),
                GitCredentials.forFetch(session.host().commands()), Clock.systemUTC(), Duration.ofSeconds(60));
        spec.commandLine().getOut().print(json ? JsonReport.pretty(fleet) : Fleet.text(fleet));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
