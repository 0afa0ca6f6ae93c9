package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

/** What a change of a git hook or of the global core.hooksPath does. */
public sealed interface HookOp extends Operation {

    /** Hooks and the git config survive a restart: every hook change is persisted. */
    default Layer layer() {
        return Layer.PERSISTED;
    }

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException;

    /** The steps of the hook kind's apply, one per variant. */
    interface Steps {
        void setHooksPath(SetHooksPath op) throws ResourceException;

        void unsetHooksPath(UnsetHooksPath op) throws ResourceException;

        void install(Install op) throws ResourceException;

        void uninstall(Uninstall op) throws ResourceException;
    }

    /** Points the developer's global core.hooksPath at the agent's hooks directory {@code to}. */
    record SetHooksPath(String from, String to) implements HookOp {
        public String field() { return HooksReconciler.HOOKS_PATH; }
        public void applyWith(Steps steps) throws ResourceException { steps.setHooksPath(this); }
    }

    /** Unsets core.hooksPath while it still points at the agent's directory (pruning). */
    record UnsetHooksPath(String from) implements HookOp {
        public String field() { return HooksReconciler.HOOKS_PATH; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException { steps.unsetHooksPath(this); }
    }

    /**
     * Writes the agent's wrapper and {@code text} as its payload, keeping a foreign hook as legacy. Plans show the
     * hook's fingerprint before ({@code from}, or what is in the way) and after ({@code to}), and a diff of the payload.
     */
    record Install(String from, String to, String beforePayload, String text) implements HookOp {
        public String field() { return HooksReconciler.CONTENT; }
        public Change.Content content() { return new Change.Content(beforePayload, text); }
        public void applyWith(Steps steps) throws ResourceException { steps.install(this); }
    }

    /** Removes the agent's hook and brings a kept legacy hook back (pruning). */
    record Uninstall(String from, String beforePayload) implements HookOp {
        public String field() { return HooksReconciler.CONTENT; }
        public String to() { return null; }
        public Change.Content content() { return new Change.Content(beforePayload, null); }
        public void applyWith(Steps steps) throws ResourceException { steps.uninstall(this); }
    }
}
