package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

/** What a change of a Go program does: build it (new, another module version, a new toolchain) or remove it. */
public sealed interface GoToolOp extends Operation {
    String MODULE = "module";
    String TOOLCHAIN = "toolchain";

    /** A program in toolsDir survives a restart. */
    default Layer layer() {
        return Layer.PERSISTED;
    }

    void applyWith(Steps steps) throws ResourceException;

    /** The steps of the kind's apply, one per variant. */
    interface Steps {
        void build(GoToolOp op) throws ResourceException;

        void remove(Remove op) throws ResourceException;
    }

    /** Builds {@code to} ({@code PACKAGE@VERSION}) where {@code from} (another module, or what is wrong) is now. */
    record Install(String from, String to) implements GoToolOp {
        public String field() { return MODULE; }
        public void applyWith(Steps steps) throws ResourceException { steps.build(this); }
    }

    /** Rebuilds the same module with the new default toolchain {@code to}; {@code from} built it. */
    record Rebuild(String from, String to) implements GoToolOp {
        public String field() { return TOOLCHAIN; }
        public void applyWith(Steps steps) throws ResourceException { steps.build(this); }
    }

    /** Removes the program the agent built from {@code from} (it left the profiles). */
    record Remove(String from) implements GoToolOp {
        public String field() { return MODULE; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException { steps.remove(this); }
    }
}
