package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

final class VersionCommand implements Callable<Integer> {
    private CommandSpec spec;

    private VersionCommand() {
    }

    static CommandSpec spec() {
        VersionCommand c = new VersionCommand();
        c.spec = Specs.command(c, "version", "Print the agent's version, the git commit it was built from and the Java runtime.").build();
        return c.spec;
    }

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) spec.commandLine().getOut().println(line);
        return ExitCodes.OK;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return BuildInfo.current().lines();
        }
    }
}
