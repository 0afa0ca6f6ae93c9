package io.devbox.agent.enrol;

import java.util.Optional;

/**
 * The agent's part of WSL's {@code [boot] command}, beside whatever the user or another tool runs there. The command
 * runs through {@code sh -c}; the agent's start script comes first (it returns at once, so a long-running command of
 * the user's cannot hold it up) and the user's text stays byte for byte, so that removing the agent's part gives it
 * back exactly.
 */
record BootCommand(String start) {
    private static final String SEPARATOR = "; ";

    /** True when {@code command} runs the start script. */
    boolean in(String command) {
        if (command == null) return false;
        String c = command.strip();
        return c.equals(start) || c.startsWith(start + SEPARATOR) || c.endsWith(SEPARATOR + start)
                || c.contains(SEPARATOR + start + SEPARATOR);
    }

    /** The command with the start script, or the same command when it runs it already. */
    String with(String existing) {
        if (in(existing)) return existing;
        if (existing == null || existing.isBlank()) return start;
        return start + SEPARATOR + existing.strip();
    }

    /** The command without the start script; empty when nothing else was in it. */
    Optional<String> without(String existing) {
        if (existing == null) return Optional.empty();
        String c = existing.strip();
        if (c.equals(start)) return Optional.empty();
        if (c.startsWith(start + SEPARATOR)) return Optional.of(c.substring(start.length() + SEPARATOR.length()));
        if (c.endsWith(SEPARATOR + start)) return Optional.of(c.substring(0, c.length() - start.length() - SEPARATOR.length()));
        return Optional.of(c.replace(SEPARATOR + start + SEPARATOR, SEPARATOR));
    }
}
