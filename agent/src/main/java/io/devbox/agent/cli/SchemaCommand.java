package io.devbox.agent.cli;

import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.host.Printable;
import io.devbox.agent.profile.SchemaDocs;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
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
        String k = kind.strip();
        if (k.equalsIgnoreCase("profile")) {
            spec.commandLine().getOut().print(SchemaDocs.summary("profile"));
            return ExitCodes.OK;
        }
        // a kind's own name (unit, port, cgroup, hook) names its section too
        String section = KindRegistry.standard().find(k).map(KindRegistry.Names::specKey).orElse(k);
        List<String> keys = SchemaDocs.specKeys();
        if (!keys.contains(section)) {
            List<String> known = new ArrayList<>(keys);
            KindRegistry.standard().names().forEach(n -> known.add(n.kind()));
            known.add("profile");
            spec.commandLine().getErr().println("agent: " + Printable.escape("unknown kind '" + k + "'" + Spelling.suggestion(k, known))
                    + " (kinds: " + String.join(", ", keys) + ", or 'profile' for the envelope)");
            return ExitCodes.ERROR;
        }
        spec.commandLine().getOut().print(SchemaDocs.summary(section));
        return ExitCodes.OK;
    }
}
