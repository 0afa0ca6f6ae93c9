package io.devbox.agent.cli;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.enrol.Enrolment;
import io.devbox.agent.enrol.EnrolmentFile;
import io.devbox.agent.enrol.FirstCycle;
import io.devbox.agent.enrol.Installation;
import io.devbox.agent.enrol.Loop;
import io.devbox.agent.enrol.ManualLoop;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.Printable;
import io.devbox.agent.host.Redactor;
import io.devbox.agent.host.Times;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.report.History;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.run.GitOptions;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code enroll}: from an installed agent to a box that follows a repository. 1. fetch, verify and validate, show the
 * plan (--dry-run stops here); 2. write the agent config; 3. start the loop the way this box can; 4. wait for the first
 * cycle and show it. Running it again with the same settings changes nothing and says so.
 */
final class EnrollCommand implements Callable<Integer> {
    enum Mode { apply, report }

    private final CommonOptions common;
    private CommandSpec spec;
    private Mode mode;
    private Duration interval;
    private boolean dryRun;
    private boolean force;
    private Duration waitFor = Duration.ofMinutes(5);

    private EnrollCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        EnrollCommand c = new EnrollCommand(common);
        c.spec = Specs.command(c, "enroll",
                        "Make this box follow a profile repository: check the repository and show the plan, write "
                                + "/etc/devbox-agent/agent.yaml (root-owned 0644), start the agent's loop the way this box "
                                + "can (systemd: systemctl enable --now devbox-agent; WSL without systemd: the [boot] "
                                + "command in /etc/wsl.conf) and show its first cycle.",
                        "Takes --repo (required), --ref, --path, --label, --hostname, --user, --state-dir and the commit "
                                + "verification options, and writes them into the config. Running it again with the same "
                                + "settings changes nothing. Exit 0 enrolled, 1 error or a failed first cycle, 2 enrolled "
                                + "but nothing here starts the agent (the command to run is printed).")
                .option("--mode", "MODE", Mode.class, "apply: converge the box; report: only plan and record (default "
                        + "apply).", v -> c.mode = v)
                .option(Specs.option("--interval", "How often the agent fetches the repository (default 60s; at least "
                                + "100ms, as watch --interval).", Duration.class)
                        .paramLabel("D").converters(new DurationConverter(Duration.ofMillis(100), null)), c.interval, v -> c.interval = v)
                .flag("--dry-run", "Only check the repository and show the plan; change nothing.", v -> c.dryRun = v)
                .flag("--force", "Replace another enrolment (a config naming other settings).", v -> c.force = v)
                .option(Specs.option("--wait", "How long to wait for the first cycle (default 5m).", Duration.class)
                        .paramLabel("D").converters(new DurationConverter(Duration.ofSeconds(1), null)), c.waitFor, v -> c.waitFor = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String refused = Enrolling.refuse(common, "enroll");
        if (refused == null && common.repo == null) refused = "enroll needs --repo URL: the profile repository this box follows";
        if (refused == null && Redactor.containsSecret(common.repo)) {
            refused = "--repo carries a credential, which would be readable by everyone in agent.yaml; use ~/.netrc or an "
                    + "ssh key of root (HOME=/var/lib/devbox-agent under systemd) instead";
        }
        if (refused != null) {
            err.println("agent: " + refused);
            return ExitCodes.ERROR;
        }
        GitOptions git = Sessions.git(common, AgentConfig.NONE);
        Session session = Sessions.open(common, AgentConfig.NONE, git);
        Installation installation = Installation.current();
        String program = installation.program();
        // a local repository as an absolute path: the daemon does not run in this directory
        String repo = io.devbox.agent.source.GitUrls.isUrl(common.repo) ? common.repo
                : Path.of(common.repo).toAbsolutePath().normalize().toString();
        Enrolment wanted = new Enrolment(repo, common.ref, common.path, mode == null ? null : mode.name(), interval,
                common.labels, common.hostname, common.user, absolute(common.stateDir), git.verifyCommits(),
                absolute(git.allowedSigners()), absolute(git.gpgKeys()), git.requireFastForward());
        TextRenderer text = new TextRenderer(common.color());

        // 1. the repository, its profiles and this box's plan: nothing on the box changes
        RunInfo plan = session.plan("enroll", Set.of());
        out.print(text.header(plan));
        out.print(text.resources(plan.resources(), false));
        out.print(text.planSummary(plan.summary()));
        if (!plan.errors().isEmpty()) {
            for (RunError e : plan.errors()) err.println("error: " + e.render());
            err.println("agent: not enrolled: the repository cannot be used as it is; nothing was changed");
            return ExitCodes.ERROR;
        }
        if (dryRun) {
            out.println("\nDry run: nothing was changed. Enrol with the same command without --dry-run.");
            return ExitCodes.OK;
        }

        // 2. the enrolment (when the loop can start here: else nothing changes)
        EnrolmentFile file = new EnrolmentFile(session.host().root());
        Path stateDir = session.state().path();
        Loop loop = Loop.detect(session.host(), installation, file.path(), stateDir, WslEnvironment.current());
        Optional<String> missing = loop.missing();
        if (missing.isPresent()) {
            err.println("agent: not enrolled: " + Printable.escape(missing.get()) + "; nothing was changed");
            return ExitCodes.ERROR;
        }
        EnrolmentFile.Outcome written = file.enrol(wanted, force, program, Times.iso(Instant.now()));
        if (written instanceof EnrolmentFile.Outcome.Invalid invalid) {
            err.println(Printable.escapeKeepingLines(invalid.errors()));
            err.println("agent: " + Printable.escape(file.path()) + " is invalid; fix it, or replace it with --force");
            return ExitCodes.ERROR;
        }
        if (written instanceof EnrolmentFile.Outcome.Refused refusedBy) {
            err.println("agent: this box is already enrolled (" + Printable.escape(file.path()) + "); replacing that needs --force:");
            for (String d : refusedBy.differences()) err.println("  " + Printable.escape(d));
            return ExitCodes.ERROR;
        }
        boolean changed = written instanceof EnrolmentFile.Outcome.Written;
        out.println();
        if (written instanceof EnrolmentFile.Outcome.Written w) {
            out.println((w.replaced() ? "Replaced the enrolment in " : "Enrolled: wrote ") + Printable.escape(file.path()) + " (root-owned, 0644)");
        }

        // 3. the loop
        if (loop instanceof ManualLoop manual) {
            if (!changed) out.println("Nothing changed: this box is already enrolled in " + Printable.escape(wanted.repo()) + ".");
            out.println(Printable.escapeKeepingLines(manual.instructions()));
            return ExitCodes.PENDING;
        }
        FirstCycle cycle = new FirstCycle(stateDir);
        List<String> did = loop.start(changed);
        for (String d : did) out.println(Printable.escape(capitalised(d)));

        // 4. the first cycle
        if (!changed && did.isEmpty()) {
            out.println("Nothing changed: this box is already enrolled in " + Printable.escape(wanted.repo()) + " and " + Printable.escape(loop.describe())
                    + " runs the agent.");
            Optional<JsonNode> last = cycle.lastRun();
            if (last.isPresent()) {
                out.println("\nIts last cycle:");
                out.print(History.show(last.get()));
                return FirstCycle.failed(last.get()) ? ExitCodes.ERROR : ExitCodes.OK;
            }
            return ExitCodes.OK;
        }
        out.println("Waiting for the agent's first cycle (at most " + waitFor.toSeconds() + " s) ...");
        out.flush();
        JsonNode first;
        try {
            first = cycle.await(loop, waitFor);
        } catch (IOException e) {
            err.println("agent: enrolled, but " + Printable.escape(IoErrors.describe(e)));
            return ExitCodes.ERROR;
        }
        out.println();
        out.print(History.show(first));
        if (FirstCycle.failed(first)) {
            err.println("agent: enrolled, but the first cycle failed (see the errors above); the agent keeps trying "
                    + "every interval");
            return ExitCodes.ERROR;
        }
        out.println("\nThis box follows " + Printable.escape(wanted.repo()) + ". Status: " + program + " status; leave: " + program + " leave.");
        return ExitCodes.OK;
    }

    private static Path absolute(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize();
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
