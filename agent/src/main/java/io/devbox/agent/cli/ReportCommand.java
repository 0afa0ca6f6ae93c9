package io.devbox.agent.cli;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Printable;
import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.engine.RunLock;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.source.SourceException;
import io.devbox.agent.host.Json;
import io.devbox.agent.fleet.BoxReport;
import io.devbox.agent.fleet.ReportPusher;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.GitCredentials;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
            c.spec = Specs.command(c, "push", "Publish this box's latest run summary (no values) as <hostname>.json on "
                            + "its shard ref refs/devbox/reports/<xx> of the profile repository.")
                    .flag("--json", "Print what was pushed as JSON.", v -> c.json = v)
                    .build();
            return c.spec;
        }

        @Override
        public Integer call() throws Exception {
            AgentConfig config = Sessions.config(common);
            Session session = Sessions.open(common, config, Sessions.git(common, config));
            List<Path> records = new RunRecords(session.state().resolve("runs")).list();
            if (records.isEmpty()) {
                spec.commandLine().getErr().println("agent: no run recorded yet in " + Printable.escape(session.state().path()) + "; run `agent plan` or `agent apply` first");
                return ExitCodes.ERROR;
            }
            JsonNode last = Json.read(AtomicFiles.readState(records.get(0)));
            ReportPusher.Pushed p;
            try {
                // a person waits for this one: a busy shard gets minutes of retries, not the daemon's 30 s
                p = pusher(common, config, session, Duration.ofMinutes(5))
                        .push(session.host().facts().hostname(), session.identity().labels(), activeOverrides(session), last, version());
            } catch (IOException | SourceException e) {
                count(session, config, false);
                throw e;
            }
            count(session, config, true);
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                ObjectNode n = Json.object();
                n.put("ref", p.ref());
                n.put("commit", p.commit());
                n.put("previous", p.previous());
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

    /** A pusher to the profile repository of the command line, else of the config file; {@code timeout}: the whole push. */
    static ReportPusher pusher(CommonOptions common, AgentConfig config, Session session, Duration timeout) {
        return new ReportPusher(common.repo != null ? common.repo : config.repo(), Path.of("").toAbsolutePath(),
                session.state().path(), GitCredentials.forFetch(session.host().commands()), Clock.systemUTC(), timeout);
    }

    /** Counts the push in the metrics (devbox_agent_report_push_total); skipped when a run holds the state for long. */
    private static void count(Session session, AgentConfig config, boolean success) {
        try (RunLock ignored = RunLock.acquire(session.state().resolve("lock"), "report push", Duration.ofSeconds(5))) {
            AgentMetrics m = AgentMetrics.load(session.state().path(), config.metrics().textfile());
            m.reportPushed(success);
            m.write();
        } catch (IOException | RunLock.HeldException e) {
            // the count is an aid, the push is what was asked for
        }
    }

    /** The overrides active on this box now, as a report lists them. */
    static List<BoxReport.Override> activeOverrides(Session session) throws IOException {
        return session.overrides().active(Instant.now()).stream()
                .map(e -> new BoxReport.Override(e.resource(), e.reason(), io.devbox.agent.host.Times.iso(e.expiresAt()))).toList();
    }

    /** The agent version a report names: the project version and the commit it was built from. */
    static String version() {
        BuildInfo b = BuildInfo.current();
        return b.version() + (b.commit().equals("unknown") ? "" : " (" + b.commit().substring(0, Math.min(12, b.commit().length()))
                + (b.dirty() ? "+changes" : "") + ")");
    }
}
