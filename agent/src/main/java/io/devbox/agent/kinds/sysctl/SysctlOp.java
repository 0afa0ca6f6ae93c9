package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

/** What a change of a kernel parameter does. */
public sealed interface SysctlOp extends Operation {

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException;

    /** The steps of the sysctl kind's apply, one per variant. */
    interface Steps {
        void setRuntime(SetRuntime op) throws ResourceException;

        void persist(Persist op) throws ResourceException;

        void unpersist(Unpersist op) throws ResourceException;
    }

    /** Writes {@code to} under /proc/sys. */
    record SetRuntime(String from, String to) implements SysctlOp {
        public String field() { return SysctlReconciler.RUNTIME; }
        public Layer layer() { return Layer.RUNTIME; }
        public void applyWith(Steps steps) throws ResourceException { steps.setRuntime(this); }
    }

    /** Sets the key's line in the agent's sysctl.d file to {@code to}. */
    record Persist(String from, String to) implements SysctlOp {
        public String field() { return SysctlReconciler.PERSISTED; }
        public Layer layer() { return Layer.PERSISTED; }
        public void applyWith(Steps steps) throws ResourceException { steps.persist(this); }
    }

    /** Drops the key's line from the agent's sysctl.d file (the key is no longer managed). */
    record Unpersist(String from) implements SysctlOp {
        public String field() { return SysctlReconciler.PERSISTED; }
        public Layer layer() { return Layer.PERSISTED; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException { steps.unpersist(this); }
    }
}
