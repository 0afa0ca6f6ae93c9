package io.devbox.agent.cli;

import io.devbox.agent.host.Printable;
import io.devbox.agent.host.Times;
import io.devbox.agent.run.Overrides;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

final class OverrideCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private String resource;
    private Duration duration;
    private String reason;
    private boolean list;
    private String clear;

    private OverrideCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        OverrideCommand c = new OverrideCommand(common);
        c.spec = Specs.command(c, "override",
                        "Let one resource differ from the profiles for a while: reported as `override`, not corrected; when "
                                + "the override expires (or is cleared), convergence resumes.",
                        "  agent override sysctl[vm.swappiness] --for 8h --reason 'profiling a memory leak'",
                        "  agent override --list      agent override --clear sysctl[vm.swappiness]      agent override --clear")
                .positional(Specs.positional("RESOURCE", "0..1", "A resource id, e.g. sysctl[vm.swappiness].", String.class),
                        (String v) -> c.resource = v)
                .option(Specs.option("--for", "How long (e.g. 30m, 8h, 2d; at most 90d).", Duration.class)
                        .paramLabel("D").converters(new DurationConverter(Duration.ofSeconds(1), Duration.ofDays(90))), c.duration, v -> c.duration = v)
                .option("--reason", "TEXT", String.class, "Why the box may differ (required; shown in plans and reports).",
                        v -> c.reason = v)
                .flag("--list", "List the active overrides.", v -> c.list = v)
                .option(Specs.option("--clear", "Remove the override of RESOURCE, or all of them.", String.class)
                        .arity("0..1").paramLabel("RESOURCE").fallbackValue(""), c.clear, v -> c.clear = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var session = Sessions.open(common);
        Overrides overrides = session.overrides();
        if (!list) session.state().prepare();
        Instant now = Times.seconds(Instant.now());
        if (list && clear == null && resource == null) {
            List<Overrides.Entry> active = overrides.active(now);
            if (active.isEmpty()) o.println("No active overrides.");
            for (Overrides.Entry e : active) {
                o.println(Printable.escape(e.resource()) + "  until " + Times.iso(e.expiresAt()) + " (" + left(now, e) + " left)  by "
                        + Printable.escape(e.by()) + ": " + Printable.escape(e.reason()));
            }
            o.flush();
            return ExitCodes.OK;
        }
        if (clear != null && !list && duration == null && reason == null) {
            String target = !clear.isEmpty() ? clear : resource;
            if (target != null && Overrides.resourceProblem(target).isPresent()) {
                err.println("agent: " + Printable.escape(Overrides.resourceProblem(target).get()));
                return ExitCodes.ERROR;
            }
            List<Overrides.Entry> removed = overrides.clear(target, now);
            if (removed.isEmpty() && target != null) {
                Set<String> active = new java.util.TreeSet<>();
                overrides.active(now).forEach(e -> active.add(e.resource()));
                err.println("agent: " + Printable.escape("no active override of " + target + Spelling.suggestion(target, active)
                        + (active.isEmpty() ? " (there are none)" : " (active: " + String.join(", ", active) + ")")));
                return ExitCodes.ERROR;
            }
            if (removed.isEmpty()) o.println("No active overrides.");
            for (Overrides.Entry e : removed) o.println("Cleared the override of " + Printable.escape(e.resource()) + "; the agent corrects it again.");
            o.flush();
            return ExitCodes.OK;
        }
        if (list || clear != null || resource == null) {
            err.println("agent: give RESOURCE --for D --reason TEXT, or --list, or --clear [RESOURCE] (see agent override --help)");
            return ExitCodes.ERROR;
        }
        if (Overrides.resourceProblem(resource).isPresent()) {
            err.println("agent: " + Printable.escape(Overrides.resourceProblem(resource).get()));
            return ExitCodes.ERROR;
        }
        if (duration == null || reason == null || reason.isBlank()) {
            err.println("agent: an override needs --for D (e.g. 8h) and --reason TEXT");
            return ExitCodes.ERROR;
        }
        // an override of a misspelt id would be listed and counted while the real resource keeps being corrected
        Set<String> known = session.resourceIds();
        if (!known.contains(resource)) {
            err.println("agent: " + Printable.escape("no resource " + resource + " in the profiles for this box or among those "
                    + "the agent manages" + Spelling.suggestion(resource, known)) + " (agent plan --all lists them)");
            return ExitCodes.ERROR;
        }
        try {
            Overrides.Entry e = overrides.set(resource, duration, reason, who(), now);
            o.println("Override of " + Printable.escape(e.resource()) + " until " + Times.iso(e.expiresAt())
                    + ": the agent reports it as `override` and leaves it alone.");
        } catch (IllegalArgumentException e) {
            err.println("agent: " + Printable.escape(e.getMessage()));
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
        return io.devbox.agent.profile.Durations.format(d.isNegative() ? Duration.ZERO : d);
    }
}
