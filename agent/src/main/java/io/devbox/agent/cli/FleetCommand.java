package io.devbox.agent.cli;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.fleet.Fleet;
import io.devbox.agent.fleet.FleetPage;
import io.devbox.agent.fleet.FleetText;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.GitCredentials;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

final class FleetCommand implements Callable<Integer> {
    static final Duration DEFAULT_STALE = Duration.ofHours(3);

    private final CommonOptions common;
    private CommandSpec spec;
    private boolean json;
    private Path html;
    private Duration stale;

    private FleetCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        FleetCommand c = new FleetCommand(common);
        c.spec = Specs.command(c, "fleet", "Every box's latest report from refs/devbox/reports/* of the profile repository: "
                        + "status, applied commit and how far it is behind the branch head, last seen, counts, overrides.")
                .flag("--json", "{hosts: [{hostname, ...}], drift, errors, rollout} instead of a table.", v -> c.json = v)
                .option("--html", "FILE", Path.class, "Also write a self-contained page (no network) with filters by label "
                        + "and status, the resources that drift on most boxes and the rollout of the latest commits.", v -> c.html = v)
                .option(Specs.option("--stale", "Mark boxes not seen for longer than this (default 3h).", Duration.class)
                        .paramLabel("D").converters(new DurationConverter(Duration.ofSeconds(1), null)), c.stale, v -> c.stale = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        AgentConfig config = Sessions.config(common);
        Session session = Sessions.open(common, config, Sessions.git(common, config));
        String repo = common.repo != null ? common.repo : config.repo();
        String ref = common.ref != null ? common.ref : config.ref();
        ObjectNode fleet = Fleet.read(new Fleet.Where(repo, ref, Path.of("").toAbsolutePath(), session.state().path(),
                        GitCredentials.forFetch(session.host().commands())), Clock.systemUTC(), Duration.ofSeconds(60),
                stale != null ? stale : DEFAULT_STALE);
        if (html != null) AtomicFiles.write(html.toAbsolutePath(), FleetPage.render(fleet).getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        spec.commandLine().getOut().print(json ? JsonReport.pretty(fleet) : FleetText.render(fleet));
        if (html != null && !json) spec.commandLine().getOut().println("Wrote " + html);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
