package io.devbox.agent.source;

/** Where profiles come from. Each call pins one revision and reads every profile from it. */
public interface ProfileSource {
    Snapshot snapshot() throws SourceException;
}
