package io.devbox.agent.engine;

/** Which layer of the box a change touches: the live state, or what survives a restart. */
public enum Layer {
    RUNTIME, PERSISTED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
