package io.devbox.agent.engine;

/** The state of one resource in a plan or report. */
public enum Status {
    OK, CHANGE, DRIFT, OVERRIDE, SKIPPED, ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
