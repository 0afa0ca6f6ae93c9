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
import java.util.List;

/**
 * Turns exceptions into one clear message and exit 1; a stack trace only for internal errors with --debug. With
 * {@code --json} the same errors are also one JSON document on stdout ({@link JsonErrors}).
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = parsed != null && parsed.hasMatchedOption("--debug");
        report(ex, err, debug);
        err.flush();
        if (JsonErrors.wanted(parsed)) {
            List<String> notes = ex instanceof ProfileException pe ? pe.notes() : List.of();
            cmd.getOut().print(JsonErrors.document(JsonErrors.commandName(cmd), JsonErrors.of(ex, message(ex)), notes));
            cmd.getOut().flush();
        }
        return ExitCodes.ERROR;
    }

    static void report(Exception ex, PrintWriter err, boolean debug) {
        if (ex instanceof ProfileException pe) {
            for (ProfileError e : pe.errors()) err.println(e.render());
            err.println(pe.errors().size() + (pe.errors().size() == 1 ? " error" : " errors") + " in the profiles; nothing was changed.");
            for (String n : pe.notes()) err.println("note: " + Printable.escape(n));
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
            err.println("agent: " + Printable.escape(message(ex)) + (debug ? "" : " (run with --debug for details)"));
            if (debug) ex.printStackTrace(err);
        }
    }

    /**
     * What the one line about {@code ex} says (without the "agent: " of the text form), unescaped: the text form
     * escapes it, the JSON form keeps JSON's escaping. An I/O failure names its file ({@link IoErrors}).
     */
    static String message(Exception ex) {
        if (ex instanceof SourceException || ex instanceof RunLock.HeldException || ex instanceof Session.StalePlanException) {
            return ex.getMessage();
        }
        if (ex instanceof IOException io) return IoErrors.describe(io);
        if (ex instanceof java.io.UncheckedIOException u) return IoErrors.describe(u.getCause());
        return "internal error: " + ex;
    }
}
