package io.devbox.agent.host;

import java.util.List;

/** The outcome of one command; {@code exitCode} -1 when it timed out and was killed. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    public boolean timedOut() {
        return exitCode == -1;
    }

    /** A one-line description for error messages: the program, the exit code and the first stderr line. */
    public String describe() {
        String first = stderr.isBlank() ? stdout.strip() : stderr.strip();
        int nl = first.indexOf('\n');
        if (nl >= 0) first = first.substring(0, nl);
        String what = timedOut() ? "timed out" : "exited " + exitCode;
        return argv.get(0) + " " + what + (first.isEmpty() ? "" : ": " + first);
    }
}
