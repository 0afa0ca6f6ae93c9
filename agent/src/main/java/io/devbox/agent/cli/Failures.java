package io.devbox.agent.cli;

import io.devbox.agent.engine.RunLock;
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
            for (String n : pe.notes()) err.println("note: " + n);
        } else if (ex instanceof io.devbox.agent.config.ConfigException) {
            err.println(ex.getMessage());
        } else if (ex instanceof SourceException || ex instanceof RunLock.HeldException || ex instanceof Session.StalePlanException) {
            err.println("agent: " + ex.getMessage());
        } else if (ex instanceof IOException) {
            err.println("agent: " + ex.getMessage());
            if (debug) ex.printStackTrace(err);
        } else {
            err.println("agent: " + message(ex) + (debug ? "" : " (run with --debug for details)"));
            if (debug) ex.printStackTrace(err);
        }
    }

    /** What the one line about {@code ex} says (without the "agent: " of the text form). */
    static String message(Exception ex) {
        if (ex instanceof SourceException || ex instanceof RunLock.HeldException || ex instanceof Session.StalePlanException
                || ex instanceof IOException) {
            return ex.getMessage();
        }
        return "internal error: " + ex;
    }
}
