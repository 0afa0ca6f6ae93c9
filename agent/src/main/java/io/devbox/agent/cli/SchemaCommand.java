package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;

import io.devbox.agent.profile.SchemaDocs;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

final class SchemaCommand implements Callable<Integer> {
    private CommandSpec spec;
    private String kind;

    private SchemaCommand() {
    }

    static CommandSpec spec() {
        SchemaCommand c = new SchemaCommand();
        c.spec = Specs.command(c, "schema", "Print the profile JSON Schema, or a readable summary of one kind.")
                .positional(Specs.positional("KIND", "0..1", "A kind (e.g. sysctl) to summarize.", String.class), (String v) -> c.kind = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() {
        if (kind == null) {
            spec.commandLine().getOut().print(SchemaDocs.json());
            return ExitCodes.OK;
        }
        try {
            spec.commandLine().getOut().print(SchemaDocs.summary(kind));
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("agent: " + Printable.escape(e.getMessage()) + " (kinds: " + String.join(", ", SchemaDocs.specKeys()) + ")");
            return ExitCodes.ERROR;
        }
    }
}
