package io.devbox.agent.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "completion", description = "Print a shell completion script: `source <(agent completion bash)` (zsh: after `autoload bashcompinit && bashcompinit`).")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh", defaultValue = "bash")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("agent: completion for " + shell + " is not available (bash, zsh)");
            return ExitCodes.ERROR;
        }
        spec.commandLine().getOut().print(AutoComplete.bash("agent", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
