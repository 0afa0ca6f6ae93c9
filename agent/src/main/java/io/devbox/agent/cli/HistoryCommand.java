package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;

import io.devbox.agent.report.History;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunRecords;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

final class HistoryCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private boolean json;
    private int limit = 20;

    private HistoryCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        HistoryCommand c = new HistoryCommand(common);
        c.spec = Specs.command(c, "history", "The recorded runs (plan, apply, drift, watch cycles), newest first.")
                .flag("--json", "One JSON document {runs: [...]} instead of a table.", v -> c.json = v)
                .option(Specs.option("-n", "Show at most N runs (default: ${DEFAULT-VALUE}).", int.class)
                        .paramLabel("N").defaultValue("20"), c.limit, v -> c.limit = v)
                .subcommand(Show.spec(common))
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            spec.commandLine().getErr().println("agent: -n must be at least 1");
            return ExitCodes.ERROR;
        }
        RunRecords records = Sessions.open(common).runRecords();
        ObjectNode list = History.list(records, limit);
        PrintWriter o = spec.commandLine().getOut();
        o.print(json ? JsonReport.pretty(list) : History.table(list));
        o.flush();
        return ExitCodes.OK;
    }

    static final class Show implements Callable<Integer> {
        private final CommonOptions common;
        private CommandSpec spec;
        private String id;
        private boolean json;

        private Show(CommonOptions common) {
            this.common = common;
        }

        static CommandSpec spec(CommonOptions common) {
            Show c = new Show(common);
            c.spec = Specs.command(c, "show", "One run in detail.")
                    .positional(Specs.positional("ID", "1", "A run id (or a unique prefix of one), as listed by `agent history`.",
                            String.class), (String v) -> c.id = v)
                    .flag("--json", "The run record as JSON.", v -> c.json = v)
                    .build();
            return c.spec;
        }

        @Override
        public Integer call() throws Exception {
            Optional<JsonNode> run = Sessions.open(common).runRecords().read(id);
            if (run.isEmpty()) {
                spec.commandLine().getErr().println("agent: no run " + Printable.escape(id) + " (see `agent history`)");
                return ExitCodes.ERROR;
            }
            PrintWriter o = spec.commandLine().getOut();
            o.print(json ? JsonReport.pretty((ObjectNode) run.get()) : History.show(run.get()));
            o.flush();
            return ExitCodes.OK;
        }
    }
}
