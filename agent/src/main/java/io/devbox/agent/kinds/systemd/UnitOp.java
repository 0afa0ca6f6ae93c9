package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

import java.io.IOException;

/** What a change of a systemd unit does. Plans show files by line count and hash, with a diff of their text. */
public sealed interface UnitOp extends Operation {

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException, IOException;

    /** The steps of the unit kind's apply, one per variant. */
    interface Steps {
        void writeUnitFile(WriteUnitFile op) throws ResourceException, IOException;

        void deleteUnitFile(DeleteUnitFile op) throws ResourceException, IOException;

        void writeDropin(WriteDropin op) throws ResourceException, IOException;

        void deleteDropin(DeleteDropin op) throws ResourceException, IOException;

        void enablement(SetEnablement op) throws ResourceException, IOException;

        void runState(SetRunState op) throws ResourceException, IOException;

        void restart(Restart op) throws ResourceException, IOException;
    }

    /** Writes the unit file; {@code before} is its text now (null when absent), {@code link} a symlink there instead. */
    record WriteUnitFile(String before, String link, String text) implements UnitOp {
        public String field() { return UnitReconciler.CONTENT; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return link != null ? "link to " + link : UnitReconciler.summary(before); }
        public String to() { return UnitReconciler.summary(text); }
        public Change.Content content() { return new Change.Content(before, text); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.writeUnitFile(this); }
    }

    /** Deletes the unit file the agent wrote (pruning). */
    record DeleteUnitFile(String before) implements UnitOp {
        public String field() { return UnitReconciler.CONTENT; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return UnitReconciler.summary(before); }
        public String to() { return null; }
        public Change.Content content() { return new Change.Content(before, null); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.deleteUnitFile(this); }
    }

    /** Writes drop-in {@code name}. */
    record WriteDropin(String name, String before, String text) implements UnitOp {
        public String field() { return UnitReconciler.DROPIN + name; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return UnitReconciler.summary(before); }
        public String to() { return UnitReconciler.summary(text); }
        public Change.Content content() { return new Change.Content(before, text); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.writeDropin(this); }
    }

    /** Deletes drop-in {@code name} the agent wrote (pruning). */
    record DeleteDropin(String name, String before) implements UnitOp {
        public String field() { return UnitReconciler.DROPIN + name; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return UnitReconciler.summary(before); }
        public String to() { return null; }
        public Change.Content content() { return new Change.Content(before, null); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.deleteDropin(this); }
    }

    /** Enables, disables or masks; {@code before} is the UnitFileState now (a masked unit is unmasked first). */
    record SetEnablement(String before, UnitResource.Enablement want) implements UnitOp {
        public String field() { return UnitReconciler.ENABLED; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return before; }
        public String to() { return want.label(); }
        public boolean masked() { return before != null && before.startsWith("masked"); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.enablement(this); }
    }

    /** Starts or stops; stopping a unit the agent prunes interrupts it ({@code disruptive}). */
    record SetRunState(String before, UnitResource.RunState want, boolean disruptive) implements UnitOp {
        public String field() { return UnitReconciler.STATE; }
        public Layer layer() { return Layer.RUNTIME; }
        public String from() { return before; }
        public String to() { return want.activeState(); }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.runState(this); }
    }

    /**
     * Restarts a running unit whose files changed. From and to are both the state it keeps: a restart is an action,
     * not a new value (no false drift).
     */
    record Restart(String state) implements UnitOp {
        public String field() { return UnitReconciler.RESTART; }
        public Layer layer() { return Layer.RUNTIME; }
        public String from() { return state; }
        public String to() { return state; }
        public boolean disruptive() { return true; }
        public void applyWith(Steps steps) throws ResourceException, IOException { steps.restart(this); }
    }
}
