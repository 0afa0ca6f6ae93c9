package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

/**
 * What a change of a package does. One field, {@code version}: from the installed version (null: not installed) to
 * the wanted one. A package lives on disk past a restart: every change is persisted.
 */
public sealed interface PackageOp extends Operation {
    String FIELD = "version";

    default String field() {
        return FIELD;
    }

    default Layer layer() {
        return Layer.PERSISTED;
    }

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException;

    /** The steps of the packages kind's apply, one per variant. */
    interface Steps {
        void install(Install op) throws ResourceException;

        void remove(Remove op) throws ResourceException;
    }

    /**
     * Installs, upgrades or downgrades to {@code to} ({@code present}, {@code latest}, a version, or the candidate
     * {@code latest} resolves to). A downgrade takes away what programs on the box may rely on: disruptive.
     */
    record Install(String from, String to, boolean downgrade) implements PackageOp {
        public boolean disruptive() { return downgrade; }
        public void applyWith(Steps steps) throws ResourceException { steps.install(this); }
    }

    /** Removes the package (never purged, nothing autoremoved): disruptive, programs may rely on it. */
    record Remove(String from) implements PackageOp {
        public String to() { return null; }
        public boolean disruptive() { return true; }
        public void applyWith(Steps steps) throws ResourceException { steps.remove(this); }
    }
}
