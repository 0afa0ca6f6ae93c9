package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;
import io.devbox.agent.report.RunError;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The top-level {@code agent} command: holds the common options; the work is in the subcommands. */
public final class AgentCommand implements Runnable {
    /** The subcommands in the order help lists them, each built from the common options it reads. */
    private static final Map<String, Function<CommonOptions, CommandSpec>> SUBCOMMANDS = subcommands();

    final CommonOptions common = new CommonOptions();
    private CommandSpec spec;

    private static Map<String, Function<CommonOptions, CommandSpec>> subcommands() {
        Map<String, Function<CommonOptions, CommandSpec>> m = new LinkedHashMap<>();
        m.put("validate", ValidateCommand::spec);
        m.put("plan", PlanCommand::spec);
        m.put("apply", ApplyCommand::spec);
        m.put("drift", DriftCommand::spec);
        m.put("status", StatusCommand::spec);
        m.put("watch", WatchCommand::spec);
        m.put("history", HistoryCommand::spec);
        m.put("override", OverrideCommand::spec);
        m.put("report", ReportCommand::spec);
        m.put("fleet", FleetCommand::spec);
        m.put("enroll", EnrollCommand::spec);
        m.put("leave", LeaveCommand::spec);
        m.put("schema", common -> SchemaCommand.spec());
        m.put("version", common -> VersionCommand.spec());
        m.put("completion", common -> CompletionCommand.spec());
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The command tree for these arguments. Building a command's model is start-up time, so only the subcommand the
     * arguments name is built. The root's help, completion scripts and unknown names (which need every command for
     * their listings and suggestions) get all.
     */
    static CommandLine commandLine(String[] arguments) {
        return commandLine(arguments, "agent");
    }

    /**
     * @param program the name the command was started by: {@code agent} in a checkout, {@code devbox-agent} when
     *                installed by the package (help, man pages and completion say it)
     */
    static CommandLine commandLine(String[] arguments, String program) {
        AgentCommand agent = new AgentCommand();
        CommandSpec root = Specs.command(agent, program,
                        "Converges this developer box to the team's profiles: plan, apply, report drift.")
                .build();
        root.versionProvider(new VersionCommand.Provider());
        root.usageMessage().footer("", "Exit codes: 0 done, nothing pending; 1 error; 2 changes pending "
                + "(plan --detailed-exitcode) or drift found (drift).");
        Specs.standardHelpOptions(root);
        agent.common.addTo(root);
        agent.spec = root;
        String named = subcommandName(root, arguments);
        if (named != null && SUBCOMMANDS.containsKey(named) && !named.equals("completion")) {
            root.addSubcommand(named, Specs.commandLine(SUBCOMMANDS.get(named).apply(agent.common)));
        } else {
            SUBCOMMANDS.forEach((name, spec) -> root.addSubcommand(name, Specs.commandLine(spec.apply(agent.common))));
            root.addSubcommand("help", Specs.commandLine(HelpCommand.spec()));
        }
        CommandLine cmd = Specs.commandLine(root);
        cmd.setParameterExceptionHandler(new ParameterErrors(cmd));
        cmd.setExecutionExceptionHandler(new Failures());
        return cmd;
    }

    /**
     * A command-line mistake: the message, suggestions or where to get help, exit 1. (A class, not a lambda: a lambda
     * of one of picocli's Java 5 interfaces keeps that interface and its users out of the AppCDS archive.)
     */
    private static final class ParameterErrors implements CommandLine.IParameterExceptionHandler {
        private final CommandLine root;

        ParameterErrors(CommandLine root) {
            this.root = root;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("agent: " + Printable.escape(ex.getMessage()));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Try '" + root.getCommandName() + " " + (c == root ? "" : JsonErrors.commandName(c) + " ") + "--help'.");
            }
            c.getErr().flush();
            if (JsonErrors.wanted(args)) {
                c.getOut().print(JsonErrors.document(JsonErrors.commandName(c), List.of(RunError.of(ex.getMessage())), List.of()));
                c.getOut().flush();
            }
            return ExitCodes.ERROR;
        }
    }

    /** The first argument that is neither an option of the root nor an option's value; null when there is none. */
    static String subcommandName(CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return null;
            if (!a.startsWith("-") || a.equals("-")) return a;
            if (a.contains("=")) continue;
            OptionSpec option = root.findOption(a);
            if (option != null && option.arity().max() > 0) i++;
        }
        return null;
    }
}
