package io.devbox.agent.cli;

import io.devbox.agent.config.ConfigException;
import io.devbox.agent.host.Json;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunError;
import picocli.CommandLine;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * {@code --json} means JSON on stdout for every outcome: a command that fails prints
 * {@code {formatVersion, command, errors: [{file, line, column, message}], notes: []}} (located profile and config
 * errors carry their position, others nulls) and exits as it would without {@code --json}.
 */
final class JsonErrors {
    private JsonErrors() {
    }

    static String document(String command, List<RunError> errors, List<String> notes) {
        ObjectNode root = Json.object();
        root.put("formatVersion", JsonReport.FORMAT_VERSION);
        root.put("command", command);
        JsonReport.errors(root, errors);
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        return JsonReport.pretty(root);
    }

    /** The errors an exception stands for: each located error of a profile or config file, else its message. */
    static List<RunError> of(Exception ex, String message) {
        if (ex instanceof ProfileException pe) return pe.errors().stream().map(RunError::of).toList();
        if (ex instanceof ConfigException ce) return ce.errors().stream().map(RunError::of).toList();
        return List.of(RunError.of(message));
    }

    /** Whether the command the arguments ran asked for JSON ({@code --json}, or {@code drift --format json}). */
    static boolean wanted(CommandLine.ParseResult parsed) {
        if (parsed == null) return false;
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) last = last.subcommand();
        if (last.hasMatchedOption("--json")) return true;
        return last.hasMatchedOption("--format") && "json".equals(String.valueOf(last.matchedOptionValue("--format", null)));
    }

    /** The same from raw arguments, for a command line that did not parse. */
    static boolean wanted(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json") || args[i].equals("--format=json")) return true;
            if (args[i].equals("--format") && i + 1 < args.length && args[i + 1].equals("json")) return true;
        }
        return false;
    }

    /**
     * {@code plan}, {@code history show}: the command as typed after the program's name ({@code agent} in a checkout,
     * {@code devbox-agent} when installed).
     */
    static String commandName(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        String program = c.getCommandSpec().root().name();
        return q.equals(program) ? "" : q.startsWith(program + " ") ? q.substring(program.length() + 1) : q;
    }
}
