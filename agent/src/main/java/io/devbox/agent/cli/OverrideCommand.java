package io.devbox.agent.cli;

import io.devbox.agent.run.Overrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "override", description = {
        "Let one resource differ from the profiles for a while: reported as `override`, not corrected; when the override "
                + "expires (or is cleared), convergence resumes.",
        "  agent override sysctl[vm.swappiness] --for 8h --reason 'profiling a memory leak'",
        "  agent override --list      agent override --clear sysctl[vm.swappiness]      agent override --clear"})
final class OverrideCommand implements Callable<Integer> {
    @ParentCommand
    AgentCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RESOURCE", description = "A resource id, e.g. sysctl[vm.swappiness].")
    String resource;

    @Option(names = "--for", paramLabel = "D", converter = DurationConverter.class, description = "How long (e.g. 30m, 8h, 2d; at most 90d).")
    Duration duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the box may differ (required; shown in plans and reports).")
    String reason;

    @Option(names = "--list", description = "List the active overrides.")
    boolean list;

    @Option(names = "--clear", arity = "0..1", paramLabel = "RESOURCE", fallbackValue = "", description = "Remove the override of RESOURCE, or all of them.")
    String clear;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var session = Sessions.open(parent.common);
        Overrides overrides = session.overrides();
        if (!list) session.state().prepare();
        Instant now = Instant.now();
        if (list && clear == null && resource == null) {
            List<Overrides.Entry> active = overrides.active(now);
            if (active.isEmpty()) o.println("No active overrides.");
            for (Overrides.Entry e : active) {
                o.println(e.resource() + "  until " + e.expiresAt() + " (" + left(now, e) + " left)  by " + e.by() + ": " + e.reason());
            }
            o.flush();
            return ExitCodes.OK;
        }
        if (clear != null && !list && duration == null && reason == null) {
            String target = !clear.isEmpty() ? clear : resource;
            if (target != null && Overrides.resourceProblem(target).isPresent()) {
                err.println("agent: " + Overrides.resourceProblem(target).get());
                return ExitCodes.ERROR;
            }
            List<Overrides.Entry> removed = overrides.clear(target, now);
            if (removed.isEmpty()) o.println(target == null ? "No active overrides." : "No active override of " + target + ".");
            for (Overrides.Entry e : removed) o.println("Cleared the override of " + e.resource() + "; the agent corrects it again.");
            o.flush();
            return ExitCodes.OK;
        }
        if (list || clear != null || resource == null) {
            err.println("agent: give RESOURCE --for D --reason TEXT, or --list, or --clear [RESOURCE] (see agent override --help)");
            return ExitCodes.ERROR;
        }
        if (Overrides.resourceProblem(resource).isPresent()) {
            err.println("agent: " + Overrides.resourceProblem(resource).get());
            return ExitCodes.ERROR;
        }
        if (duration == null || reason == null || reason.isBlank()) {
            err.println("agent: an override needs --for D (e.g. 8h) and --reason TEXT");
            return ExitCodes.ERROR;
        }
        try {
            Overrides.Entry e = overrides.set(resource, duration, reason, who(), now);
            o.println("Override of " + e.resource() + " until " + e.expiresAt() + ": the agent reports it as `override` and leaves it alone.");
        } catch (IllegalArgumentException e) {
            err.println("agent: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        o.flush();
        return ExitCodes.OK;
    }

    private static String who() {
        String sudo = System.getenv("SUDO_USER");
        return sudo != null && !sudo.isBlank() ? sudo : System.getProperty("user.name");
    }

    private static String left(Instant now, Overrides.Entry e) {
        Duration d = Duration.between(now, e.expiresAt()).withNanos(0);
        return io.devbox.agent.config.Durations.format(d.isNegative() ? Duration.ZERO : d);
    }
}
