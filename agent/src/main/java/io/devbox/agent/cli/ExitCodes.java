package io.devbox.agent.cli;

/** The exit codes of DESIGN.md. */
final class ExitCodes {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int PENDING = 2;

    private ExitCodes() {
    }
}
