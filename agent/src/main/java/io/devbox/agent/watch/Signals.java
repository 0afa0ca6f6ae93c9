package io.devbox.agent.watch;

import sun.misc.Signal;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX signals for the watch daemon through {@code sun.misc.Signal} (module jdk.unsupported, the JDK's supported
 * way to handle them): SIGHUP requests an immediate cycle, SIGTERM and SIGINT a clean stop. Installing a handler
 * replaces the JVM's default (exit 143 through the shutdown hooks), so the loop can finish the resource in hand.
 */
public final class Signals {
    private Signals() {
    }

    /** Installs the handlers; returns the signals that could not be handled here (e.g. under {@code -Xrs}). */
    public static List<String> install(Wakeup wakeup) {
        List<String> failed = new ArrayList<>();
        handle("HUP", sig -> wakeup.requestCycle(), failed);
        handle("TERM", sig -> wakeup.requestStop("SIGTERM"), failed);
        handle("INT", sig -> wakeup.requestStop("SIGINT"), failed);
        return failed;
    }

    private static void handle(String name, sun.misc.SignalHandler handler, List<String> failed) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            failed.add("SIG" + name + ": " + e.getMessage());
        }
    }
}
