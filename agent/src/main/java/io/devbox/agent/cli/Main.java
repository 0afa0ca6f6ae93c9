package io.devbox.agent.cli;

import picocli.CommandLine;

/** Entry point: {@code agent COMMAND [options]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cmd = AgentCommand.commandLine();
        return cmd.execute(args);
    }
}
