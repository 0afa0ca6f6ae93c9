package io.devbox.agent.kinds.go.tools;

/**
 * What {@code go version -m} says of a tool's binary.
 *
 * @param exists    a file is at {@code <toolsDir>/bin/NAME}
 * @param module    {@code PACKAGE@VERSION} it was built from, or what is wrong with it (not a Go program, ...)
 * @param toolchain the Go version that built it ({@code go1.22.5}), null when unknown
 */
public record GoToolObserved(boolean exists, String module, String toolchain) {
    static GoToolObserved absent() {
        return new GoToolObserved(false, null, null);
    }
}
