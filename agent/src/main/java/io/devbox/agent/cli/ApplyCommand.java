package io.devbox.agent.cli;

import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.SavedPlan;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ObjectNode;

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

final class ApplyCommand implements Callable<Integer> {
    static final String NO_CONFIRMATION = "not applying without confirmation; run `agent apply --yes`, or save a plan with "
            + "`agent plan --out PLAN` and `agent apply PLAN`";

    private final CommonOptions common;
    private CommandSpec spec;
    private Path planFile;
    private boolean yes;
    private boolean json;
    private boolean allowPrune;
    private List<String> only = new ArrayList<>();

    private ApplyCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        ApplyCommand c = new ApplyCommand(common);
        c.spec = Specs.command(c, "apply", "Converge this box. With PLAN, apply exactly that saved plan, refusing items "
                        + "whose state moved since.")
                .positional(Specs.positional("PLAN", "0..1", "A plan saved with `agent plan --out PLAN`.", Path.class),
                        (Path v) -> c.planFile = v)
                .flag("--yes", "Do not ask for confirmation.", v -> c.yes = v)
                .flag("--json", "One JSON document instead of text (also for errors); never asks: without --yes or PLAN "
                        + "it prints the plan and, when something is pending, refuses.", v -> c.json = v)
                .flag("--allow-prune", "Also remove what the profiles declare only for this box's previous hostname or "
                        + "labels (a changed or forgotten --label); without it such removals are refused.", v -> c.allowPrune = v)
                .option(Specs.option("--only", "Apply only these kinds (e.g. sysctl,unit).", List.class).auxiliaryTypes(String.class)
                        .splitRegex(",").paramLabel("KIND").converters(new Inputs.KindName()), c.only, v -> c.only = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(common);
        PrintWriter o = spec.commandLine().getOut();
        TextRenderer text = new TextRenderer(common.color());
        Optional<SavedPlan> saved = Optional.empty();
        if (planFile != null) {
            saved = Optional.of(SavedPlan.read(planFile));
        } else if (!yes) {
            RunInfo preview = session.plan("plan", Sessions.only(only));
            boolean pending = preview.summary().pending() > 0;
            if (json) {
                // JSON is for programs: nothing to confirm with, so the plan, and a refusal when it would change the box
                ObjectNode doc = JsonReport.document(preview);
                if (pending) {
                    List<RunError> errors = new ArrayList<>(preview.errors());
                    errors.add(RunError.of(NO_CONFIRMATION));
                    JsonReport.errors(doc, errors);
                }
                o.print(JsonReport.pretty(doc));
                o.flush();
                return pending || Session.failed(preview) ? ExitCodes.ERROR : ExitCodes.OK;
            }
            o.print(text.header(preview));
            o.print(text.resources(preview.resources(), false));
            o.print(text.planSummary(preview.summary()));
            if (!pending) {
                o.flush();
                return Session.failed(preview) ? ExitCodes.ERROR : ExitCodes.OK;
            }
            if (System.console() == null) {
                o.flush();
                spec.commandLine().getErr().println("agent: " + NO_CONFIRMATION);
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
            o.println();
        }
        Session.ApplyResult result = session.apply("apply", Sessions.only(only), saved, () -> false, allowPrune);
        RunInfo run = result.run();
        if (json) {
            o.print(JsonReport.pretty(JsonReport.document(run)));
        } else {
            if (planFile != null || yes) o.print(text.header(run));
            o.print(text.applyResults(run.resources()));
            if (!run.resources().isEmpty()) o.println();
            for (RunError e : run.errors()) o.println("error: " + e.render());
            o.print(text.applySummary(run.resources()));
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
