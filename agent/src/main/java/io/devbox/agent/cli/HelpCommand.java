package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code agent help [COMMAND...]}: the usage of {@code agent}, or of the (nested) command named. It is a picocli help
 * command ({@link CommandLine.IHelpCommandInitializable2}, so picocli runs it as a help request, as it does its own
 * {@code HelpCommand}), declared in code like every other command: picocli's annotated one would clash with the
 * inherited {@code -h}.
 */
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    private final List<String> names = new ArrayList<>();
    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    private HelpCommand() {
    }

    static CommandSpec spec() {
        HelpCommand c = new HelpCommand();
        CommandSpec spec = Specs.command(c, "help", "Show the usage of agent, or of a command (e.g. agent help plan).")
                .positional(Specs.positional("COMMAND", "0..*", "The command (and subcommand) to explain.", String.class)
                        .type(List.class).auxiliaryTypes(String.class), (List<String> v) -> {
                    c.names.clear();
                    if (v != null) c.names.addAll(v);
                })
                .build();
        spec.helpCommand(true);
        return spec;
    }

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter outWriter, PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : names) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                // a user error like any other: picocli's parameter handler reports it (exit 1)
                throw new CommandLine.ParameterException(self, "unknown command '" + name + "'"
                        + Spelling.suggestion(name, target.getSubcommands().keySet())
                        + " (commands: " + String.join(", ", target.getSubcommands().keySet()) + ")");
            }
            target = sub;
        }
        target.usage(out, colors);
    }
}
