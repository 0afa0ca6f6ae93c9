package io.devbox.agent.engine;

import java.util.Objects;

/**
 * Something a kind knows of the box that {@code agent status} shows, from the box and the agent's state alone (no
 * probing of resources): e.g. that a WSL restart is pending. In JSON it is {@code host.<name>}; in text its
 * {@code notice} is a line while the fact holds.
 *
 * @param name   its JSON field under {@code host}, e.g. {@code restartPending}
 * @param holds  whether it is so now
 * @param notice what a person reads while it holds
 */
public record StatusFact(String name, boolean holds, String notice) {
    public StatusFact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(notice, "notice");
    }
}
