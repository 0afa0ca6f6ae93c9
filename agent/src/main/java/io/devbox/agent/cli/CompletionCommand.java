package io.devbox.agent.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

final class CompletionCommand implements Callable<Integer> {
    private CommandSpec spec;
    private String shell = "bash";

    private CompletionCommand() {
    }

    static CommandSpec spec() {
        CompletionCommand c = new CompletionCommand();
        c.spec = Specs.command(c, "completion", "Print a shell completion script: `source <(agent completion bash)` "
                        + "(zsh: after `autoload bashcompinit && bashcompinit`).")
                .positional(Specs.positional("SHELL", "0..1", "bash or zsh", String.class).defaultValue("bash"),
                        (String v) -> c.shell = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("agent: completion for " + shell + " is not available (bash, zsh)");
            return ExitCodes.ERROR;
        }
        spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
