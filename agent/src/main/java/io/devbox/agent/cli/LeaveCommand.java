package io.devbox.agent.cli;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.config.ConfigException;
import io.devbox.agent.enrol.EnrolmentFile;
import io.devbox.agent.enrol.Installation;
import io.devbox.agent.enrol.Loop;
import io.devbox.agent.host.Printable;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leave}: the box stops following its repository. The loop is stopped and disabled, the enrolment removed (the
 * config goes back to the package's text, which enrols nothing); with {@code --prune} everything the agent applied is
 * removed too, through each kind's prune path, after the plan is shown and confirmed. Running it again changes nothing.
 */
final class LeaveCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private boolean prune;
    private boolean yes;

    private LeaveCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        LeaveCommand c = new LeaveCommand(common);
        c.spec = Specs.command(c, "leave",
                        "Stop following the profile repository: stop and disable the agent's loop, and remove the "
                                + "enrolment (/etc/devbox-agent/agent.yaml goes back to the package's commented text).",
                        "With --prune, first remove everything the agent applied on this box (units, sysctls, hooks, ... "
                                + "as each kind prunes what leaves the profiles), after showing the plan and asking. Running "
                                + "it again changes nothing.")
                .flag("--prune", "Also remove everything the agent applied here.", v -> c.prune = v)
                .flag("--yes", "Do not ask for confirmation of --prune.", v -> c.yes = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String refused = Enrolling.refuse(common, "leave");
        if (refused != null) {
            err.println("agent: " + refused);
            return ExitCodes.ERROR;
        }
        EnrolmentFile file = new EnrolmentFile(common.root == null ? java.nio.file.Path.of("/") : common.root.toAbsolutePath().normalize());
        AgentConfig config;
        try {
            config = file.config();
        } catch (ConfigException e) {
            err.println("warning: " + Printable.escape(file.path()) + " is invalid; it is replaced all the same");
            config = AgentConfig.NONE;
        }
        Session session = Sessions.open(common, config, config.overlay(common.toGitOptions()));
        Loop loop = Loop.detect(session.host(), Installation.current(), file.path(), session.state().path(), WslEnvironment.current());
        TextRenderer text = new TextRenderer(common.color());
        List<String> did = new ArrayList<>();

        boolean prunePending = false;
        if (prune) {
            RunInfo preview = session.prune(false, () -> false).run();
            prunePending = preview.summary().pending() > 0;
            if (prunePending) {
                out.println("Everything the agent applied on this box goes:");
                out.print(text.resources(preview.resources(), false));
                out.print(text.planSummary(preview.summary()));
                if (!yes && !confirmed(out, err)) return ExitCodes.ERROR;
            }
        }
        // the loop stops first: a running daemon would apply again what the prune removes
        did.addAll(loop.stop());
        boolean failed = false;
        if (prunePending) {
            Session.ApplyResult result = session.prune(true, () -> false);
            out.print(text.applyResults(result.run().resources()));
            for (RunError e : result.run().errors()) out.println("error: " + e.render());
            out.print(text.applySummary(result.run().resources()));
            failed = Session.failed(result.run());
            did.add("removed what the agent applied (" + result.applied() + (result.applied() == 1 ? " resource)" : " resources)"));
        }
        if (file.unenrol()) did.add("removed the enrolment: " + file.path() + " enrols nothing now");
        if (did.isEmpty()) {
            out.println("Nothing changed: this box is not enrolled, no agent loop runs here"
                    + (prune ? " and the agent applied nothing." : "."));
            return ExitCodes.OK;
        }
        for (String d : did) out.println(Printable.escape(Character.toUpperCase(d.charAt(0)) + d.substring(1)));
        if (failed) {
            err.println("agent: left, but pruning failed for some resources (see above); run `" + Installation.current().program()
                    + " leave --prune` again once they are fixed");
            return ExitCodes.ERROR;
        }
        return ExitCodes.OK;
    }

    private boolean confirmed(PrintWriter out, PrintWriter err) throws java.io.IOException {
        if (System.console() == null) {
            out.flush();
            err.println("agent: not pruning without confirmation; run `leave --prune --yes`");
            return false;
        }
        out.print("\nRemove these and leave? Only 'yes' will be accepted: ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if ("yes".equals(answer == null ? null : answer.strip())) return true;
        out.println("Leave cancelled; nothing was changed.");
        return false;
    }
}
