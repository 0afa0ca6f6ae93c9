package io.devbox.agent.cli;

import io.devbox.agent.run.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

@Command(name = "validate", description = "Check the profiles (syntax, schema, composition for this box); exit 0 valid, 1 invalid.")
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Session.Loaded loaded = Sessions.open(parent.common).validate();
        int n = loaded.snapshot().profiles().size();
        spec.commandLine().getOut().println(n + (n == 1 ? " profile" : " profiles") + " valid at "
                + loaded.snapshot().shortCommit() + "; for this box: "
                + (loaded.spec().profileNames().isEmpty() ? "(none match)" : String.join(", ", loaded.spec().profileNames())));
        return ExitCodes.OK;
    }
}
