package io.devbox.agent.cli;

import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.SavedPlan;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "apply", description = "Converge this box. With PLAN, apply exactly that saved plan, refusing items whose state moved since.")
final class ApplyCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "PLAN", description = "A plan saved with `agent plan --out PLAN`.")
    Path planFile;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    @Option(names = "--only", paramLabel = "KIND", split = ",", description = "Apply only these kinds.")
    List<String> only = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(parent.common);
        PrintWriter o = spec.commandLine().getOut();
        TextRenderer text = new TextRenderer(parent.common.color());
        Optional<SavedPlan> saved = Optional.empty();
        if (planFile != null) {
            saved = Optional.of(SavedPlan.read(planFile));
        } else if (!yes) {
            RunInfo preview = session.plan("plan", Sessions.only(only));
            o.print(text.header(preview));
            o.print(text.resources(preview.resources(), false));
            o.print(text.planSummary(preview.summary()));
            if (preview.summary().pending() == 0) {
                o.flush();
                return Session.failed(preview) ? ExitCodes.ERROR : ExitCodes.OK;
            }
            if (System.console() == null) {
                o.flush();
                spec.commandLine().getErr().println("agent: not applying without confirmation; run `agent apply --yes`, or save a plan with `agent plan --out PLAN` and `agent apply PLAN`");
                return ExitCodes.ERROR;
            }
            o.print("\nApply these changes? Only 'yes' will be accepted: ");
            o.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"yes".equals(answer == null ? null : answer.strip())) {
                o.println("Apply cancelled.");
                return ExitCodes.ERROR;
            }
            saved = Optional.of(new SavedPlan(preview.source().commit(), preview.profilesDigest(), pending(preview)));
        }
        Session.ApplyResult result = session.apply(Sessions.only(only), saved, () -> false);
        RunInfo run = result.run();
        if (json) {
            o.print(JsonReport.pretty(JsonReport.document(run)));
        } else {
            if (planFile != null || yes) o.print(text.header(run));
            o.print(text.resources(run.resources(), false));
            for (String e : run.errors()) o.println("error: " + e);
            o.print(text.applySummary(run.summary(), result.applied()));
        }
        o.flush();
        return Session.failed(run) ? ExitCodes.ERROR : ExitCodes.OK;
    }

    private static Map<String, String> pending(RunInfo preview) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        preview.resources().stream().filter(r -> r.pending() && r.fingerprint() != null).forEach(r -> out.put(r.id(), r.fingerprint()));
        return out;
    }
}
