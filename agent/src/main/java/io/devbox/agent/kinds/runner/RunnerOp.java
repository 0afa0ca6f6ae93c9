package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;

/**
 * What a change of {@code runner[NAME]} does. The runner converges as a whole (one stop of its service for an upgrade
 * and a re-registration): {@link RunnerReconciler} reads the operations of all the resource's changes together.
 */
public sealed interface RunnerOp extends Operation {

    /**
     * Whether the op belongs to the absent form of the runner (unregister, delete) rather than to its convergence
     * (install, register); every variant answers, so the compiler keeps the two sets complete.
     */
    boolean prunes();

    /** The package and the registration survive a restart: every runner change is persisted. */
    default Layer layer() {
        return Layer.PERSISTED;
    }

    /** The package at version {@code to} in installDir; replacing an installed one stops the service (disruptive). */
    record Install(String from, String to, boolean disruptive) implements RunnerOp {
        public String field() { return RunnerReconciler.VERSION; }
        public boolean prunes() { return false; }
    }

    /**
     * One registration setting ({@code url}, {@code name}, {@code labels}, {@code ephemeral}, {@code group}): any of
     * them means config.sh registers the runner again, which stops a registered one (disruptive).
     */
    record Register(String field, String from, String to, boolean disruptive) implements RunnerOp {
        public boolean prunes() { return false; }
    }

    /** Pruning: config.sh remove, with the service stopped first. */
    record Unregister() implements RunnerOp {
        public String field() { return RunnerReconciler.REGISTRATION; }
        public String from() { return "registered"; }
        public String to() { return null; }
        public boolean disruptive() { return true; }
        public boolean prunes() { return true; }
    }

    /** Pruning: the install directory the agent made goes. */
    record DeleteInstall(String installDir) implements RunnerOp {
        public String field() { return RunnerReconciler.INSTALLED; }
        public String from() { return installDir; }
        public String to() { return null; }
        public boolean prunes() { return true; }
    }
}
