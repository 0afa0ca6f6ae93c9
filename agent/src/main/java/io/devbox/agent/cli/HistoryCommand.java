package io.devbox.agent.cli;

import io.devbox.agent.report.History;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "history", description = "The recorded runs (plan, apply, drift, watch cycles), newest first.",
        subcommands = HistoryCommand.Show.class)
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON document {runs: [...]} instead of a table.")
    boolean json;

    @Option(names = "-n", paramLabel = "N", description = "Show at most N runs (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int limit;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            spec.commandLine().getErr().println("agent: -n must be at least 1");
            return ExitCodes.ERROR;
        }
        RunRecords records = Sessions.open(parent.common).runRecords();
        ObjectNode list = History.list(records, limit);
        PrintWriter o = spec.commandLine().getOut();
        o.print(json ? JsonReport.pretty(list) : History.table(list));
        o.flush();
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "One run in detail.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        HistoryCommand history;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "A run id (or a unique prefix of one), as listed by `agent history`.")
        String id;

        @Option(names = "--json", description = "The run record as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Optional<JsonNode> run = Sessions.open(history.parent.common).runRecords().read(id);
            if (run.isEmpty()) {
                spec.commandLine().getErr().println("agent: no run " + id + " (see `agent history`)");
                return ExitCodes.ERROR;
            }
            PrintWriter o = spec.commandLine().getOut();
            o.print(json ? JsonReport.pretty((ObjectNode) run.get()) : History.show(run.get()));
            o.flush();
            return ExitCodes.OK;
        }
    }
}
