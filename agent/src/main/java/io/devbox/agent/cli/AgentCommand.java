package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The top-level {@code agent} command: holds the common options; the work is in the subcommands. */
@Command(name = "agent", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = VersionCommand.Provider.class,
        description = "Converges this developer box to the team's profiles: plan, apply, report drift.",
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

    /** The subcommands in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("validate", ValidateCommand::new);
        m.put("plan", PlanCommand::new);
        m.put("apply", ApplyCommand::new);
        m.put("drift", DriftCommand::new);
        m.put("status", StatusCommand::new);
        m.put("watch", WatchCommand::new);
        m.put("history", HistoryCommand::new);
        m.put("override", OverrideCommand::new);
        m.put("report", ReportCommand::new);
        m.put("fleet", FleetCommand::new);
        m.put("schema", SchemaCommand::new);
        m.put("version", VersionCommand::new);
        m.put("completion", CompletionCommand::new);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The whole command tree (help, completion scripts, unknown commands). */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree for these arguments. picocli reflects over every option of every command it is given, which
     * costs more than a plan of 50 sysctls; so only the subcommand the arguments name is built. The root's help,
     * completion scripts and unknown names (which need every command for their listings and suggestions) get all.
     */
    static CommandLine commandLine(String[] arguments) {
        CommandLine cmd = new CommandLine(new AgentCommand());
        String named = arguments == null ? null : subcommandName(cmd.getCommandSpec(), arguments);
        if (named != null && SUBCOMMANDS.containsKey(named) && !named.equals("completion")) {
            cmd.addSubcommand(named, SUBCOMMANDS.get(named).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
        }
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
