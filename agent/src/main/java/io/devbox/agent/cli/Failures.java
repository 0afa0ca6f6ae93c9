package io.devbox.agent.cli;

import io.devbox.agent.engine.RunLock;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.Printable;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.SourceException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;

/** Turns exceptions into one clear message and exit 1; a stack trace only for internal errors with --debug. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = parsed != null && parsed.hasMatchedOption("--debug");
        report(ex, err, debug);
        err.flush();
        return ExitCodes.ERROR;
    }

    static void report(Exception ex, PrintWriter err, boolean debug) {
        if (ex instanceof ProfileException pe) {
            for (ProfileError e : pe.errors()) err.println(e.render());
            err.println(pe.errors().size() + (pe.errors().size() == 1 ? " error" : " errors") + " in the profiles; nothing was changed.");
        } else if (ex instanceof io.devbox.agent.config.ConfigException) {
            // its lines are rendered profile errors (already escaped) and a summary: the line breaks are ours
            err.println(Printable.escapeKeepingLines(ex.getMessage()));
        } else if (ex instanceof SourceException || ex instanceof RunLock.HeldException || ex instanceof Session.StalePlanException) {
            err.println("agent: " + Printable.escape(ex.getMessage()));
        } else if (ex instanceof IOException || ex instanceof java.io.UncheckedIOException) {
            IOException io = ex instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) ex;
            err.println("agent: " + Printable.escape(IoErrors.describe(io)));
            if (debug) ex.printStackTrace(err);
        } else {
            err.println("agent: internal error: " + Printable.escape(ex) + (debug ? "" : " (run with --debug for details)"));
            if (debug) ex.printStackTrace(err);
        }
    }
}
