package io.devbox.agent.kinds.wsl;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;

/**
 * What a change of a WSL setting does. One variant: WSL keys are never removed (a key dropped from the profiles stays
 * in the user's file), so the sealed set is closed at one.
 */
public sealed interface WslOp extends Operation {

    /**
     * Sets the key to {@code value}, keeping the user's comments, order and other keys.
     *
     * @param beforeText the file's text now (null when absent) and {@code afterText} with the edit: plans show a diff
     */
    record SetKey(String from, String to, String beforeText, String afterText) implements WslOp {
        public String field() { return WslReconciler.FIELD; }
        public Layer layer() { return Layer.PERSISTED; }
        public Change.Content content() { return afterText == null ? null : new Change.Content(beforeText, afterText); }
    }
}
