package io.devbox.agent.cli;

import io.devbox.agent.profile.SchemaDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "schema", description = "Print the profile JSON Schema, or a readable summary of one kind.")
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "KIND", description = "A kind (e.g. sysctl) to summarize.")
    String kind;

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
            spec.commandLine().getErr().println("agent: " + e.getMessage() + " (kinds: " + String.join(", ", SchemaDocs.specKeys()) + ")");
            return ExitCodes.ERROR;
        }
    }
}
