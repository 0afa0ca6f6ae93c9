package io.devbox.agent.cli;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Printable;

import io.devbox.agent.host.Json;
import io.devbox.agent.fleet.ReportPusher;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.GitCredentials;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

final class ReportCommand implements Runnable {
    private CommandSpec spec;

    private ReportCommand() {
    }

    static CommandSpec spec(CommonOptions common) {
        ReportCommand c = new ReportCommand();
        c.spec = Specs.command(c, "report", "Fleet reports through git.")
                .subcommand(Push.spec(common))
                .build();
        return c.spec;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Push implements Callable<Integer> {
        private final CommonOptions common;
        private CommandSpec spec;
        private boolean json;

        private Push(CommonOptions common) {
            this.common = common;
        }

        static CommandSpec spec(CommonOptions common) {
            Push c = new Push(common);
            c.spec = Specs.command(c, "push", "Publish this box's latest run summary (no values) as a commit on "
                            + "refs/devbox/reports/<hostname> of the profile repository.")
                    .flag("--json", "Print what was pushed as JSON.", v -> c.json = v)
                    .build();
            return c.spec;
        }

        @Override
        public Integer call() throws Exception {
            Session session = Sessions.open(common);
            List<Path> records = new RunRecords(session.state().resolve("runs")).list();
            if (records.isEmpty()) {
                spec.commandLine().getErr().println("agent: no run recorded yet in " + Printable.escape(session.state().path()) + "; run `agent plan` or `agent apply` first");
                return ExitCodes.ERROR;
            }
            JsonNode last = Json.read(AtomicFiles.readState(records.get(0)));
            ReportPusher.Pushed p = pusher(common, session).push(session.host().facts().hostname(), last, version());
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                ObjectNode n = Json.object();
                n.put("ref", p.ref());
                n.put("commit", p.commit());
                n.put("parent", p.parent());
                n.put("attempts", p.attempts());
                n.put("repo", p.where());
                n.put("run", last.path("id").asString(null));
                o.print(JsonReport.pretty(n));
            } else {
                o.println("Pushed the report of run " + Printable.escape(last.path("id").asString()) + " to " + Printable.escape(p.ref())
                        + " in " + Printable.escape(p.where())
                        + " (" + p.commit().substring(0, 7) + (p.attempts() > 1 ? ", after " + p.attempts() + " attempts" : "") + ")");
            }
            o.flush();
            return ExitCodes.OK;
        }
    }

    static ReportPusher pusher(CommonOptions common, Session session) {
        return new ReportPusher(common.repo, Path.of("").toAbsolutePath(), session.state().path(),
                GitCredentials.forFetch(session.host().commands()), Clock.systemUTC(), Duration.ofSeconds(60));
    }

    static String version() {
        String v = ReportCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
