package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Redactor;

/** What a change of a Go toolchain, the default Go or a Go env key does. */
public sealed interface GoOp extends Operation {

    /** Toolchains, the default and the env file survive a restart: every go change is persisted. */
    default Layer layer() {
        return Layer.PERSISTED;
    }

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException;

    /** The steps of the go kind's apply, one per variant. */
    interface Steps {
        void installVersion(InstallVersion op) throws ResourceException;

        void removeVersion(RemoveVersion op) throws ResourceException;

        void setCurrent(SetCurrent op) throws ResourceException;

        void removeCurrent(RemoveCurrent op) throws ResourceException;

        void writeScript(WriteScript op) throws ResourceException;

        void deleteScript(DeleteScript op) throws ResourceException;

        void setEnv(SetEnv op) throws ResourceException;

        void unsetEnv(UnsetEnv op) throws ResourceException;
    }

    /** Downloads, verifies and installs the version into directory {@code to}; {@code from} is what is there now. */
    record InstallVersion(String from, String to) implements GoOp {
        public String field() { return GoReconciler.INSTALLED; }
        public void applyWith(Steps steps) throws ResourceException { steps.installVersion(this); }
    }

    /** Removes a version the agent installed (pruning). */
    record RemoveVersion(String from) implements GoOp {
        public String field() { return GoReconciler.INSTALLED; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException { steps.removeVersion(this); }
    }

    /** Points the {@code current} symlink at version directory {@code to}; switching an existing default is disruptive. */
    record SetCurrent(String from, String to) implements GoOp {
        public String field() { return GoReconciler.CURRENT; }
        public boolean disruptive() { return from != null; }
        public void applyWith(Steps steps) throws ResourceException { steps.setCurrent(this); }
    }

    /** Removes the {@code current} symlink (pruning): every shell and IDE loses its default go. */
    record RemoveCurrent(String from) implements GoOp {
        public String field() { return GoReconciler.CURRENT; }
        public String to() { return null; }
        public boolean disruptive() { return true; }
        public void applyWith(Steps steps) throws ResourceException { steps.removeCurrent(this); }
    }

    /** Writes /etc/profile.d/devbox-go.sh; plans show fingerprints and a diff of the text. */
    record WriteScript(String from, String beforeText, String text) implements GoOp {
        public String field() { return GoReconciler.SCRIPT; }
        public String to() { return GoLayout.fingerprint(text); }
        public Change.Content content() { return new Change.Content(beforeText, text); }
        public void applyWith(Steps steps) throws ResourceException { steps.writeScript(this); }
    }

    /** Deletes the profile.d script (pruning). */
    record DeleteScript(String from, String beforeText) implements GoOp {
        public String field() { return GoReconciler.SCRIPT; }
        public String to() { return null; }
        public Change.Content content() { return new Change.Content(beforeText, null); }
        public void applyWith(Steps steps) throws ResourceException { steps.deleteScript(this); }
    }

    /**
     * Sets the key in the developer's Go env file. Plans show the values masked: a credential in a value
     * (GOPROXY=https://user:token@proxy) appears with a digest only.
     */
    record SetEnv(String before, String value) implements GoOp {
        public String field() { return GoReconciler.VALUE; }
        public String from() { return Redactor.mask(before); }
        public String to() { return Redactor.mask(value); }
        public void applyWith(Steps steps) throws ResourceException { steps.setEnv(this); }

        @Override
        public String toString() {
            return "SetEnv[" + from() + " -> " + to() + "]";
        }
    }

    /** Removes the key from the env file (pruning). */
    record UnsetEnv(String before) implements GoOp {
        public String field() { return GoReconciler.VALUE; }
        public String from() { return Redactor.mask(before); }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException { steps.unsetEnv(this); }

        @Override
        public String toString() {
            return "UnsetEnv[" + from() + "]";
        }
    }
}
