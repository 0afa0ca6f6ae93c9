package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;

import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

final class ValidateCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;

    private ValidateCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        ValidateCommand c = new ValidateCommand(common);
        c.spec = Specs.command(c, "validate", "Check the profiles (syntax, schema, composition for this box); exit 0 valid, 1 invalid.")
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Session.Loaded loaded = Sessions.open(common).validate();
        int n = loaded.snapshot().profiles().size();
        spec.commandLine().getOut().println(n + (n == 1 ? " profile" : " profiles") + " valid at "
                + loaded.snapshot().shortCommit() + "; for this box: "
                + (loaded.spec().profileNames().isEmpty() ? "(none match)" : Printable.escape(String.join(", ", loaded.spec().profileNames()))));
        return ExitCodes.OK;
    }
}
