package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;

import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.SavedPlan;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;

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
    private final CommonOptions common;
    private CommandSpec spec;
    private Path planFile;
    private boolean yes;
    private boolean json;
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
                .flag("--json", "One JSON document instead of text.", v -> c.json = v)
                .option(Specs.option("--only", "Apply only these kinds.", List.class).auxiliaryTypes(String.class)
                        .splitRegex(",").paramLabel("KIND"), c.only, v -> c.only = v)
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
            for (String e : run.errors()) o.println("error: " + Printable.escape(e));
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
