package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code agent} command: holds the common options; the work is in the subcommands. */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Converges this developer box to the team's profiles: plan, apply, report drift.",
        subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, DriftCommand.class,
                StatusCommand.class, WatchCommand.class, HistoryCommand.class, OverrideCommand.class, ReportCommand.class,
                FleetCommand.class, SchemaCommand.class, VersionCommand.class, CompletionCommand.class},
        footer = {"", "Exit codes: 0 done, nothing pending; 1 error; 2 changes pending (plan --detailed-exitcode) or drift found (drift)."})
public final class AgentCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new AgentCommand());
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("agent: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Try 'agent " + (c == cmd ? "" : c.getCommandName() + " ") + "--help'.");
            }
            return ExitCodes.ERROR;
        });
        cmd.setExecutionExceptionHandler(new Failures());
        return cmd;
    }
}
