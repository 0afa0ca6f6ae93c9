package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "version", description = "Print the agent's version.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) spec.commandLine().getOut().println(line);
        return ExitCodes.OK;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = VersionCommand.class.getPackage().getImplementationVersion();
            return new String[]{"devbox-agent " + (v == null ? "development build" : v)
                    + " (Java " + Runtime.version().feature() + ", " + System.getProperty("os.arch") + ")"};
        }
    }
}
