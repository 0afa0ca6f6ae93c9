package io.devbox.agent.kinds.example;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;

/** What a change of a greeting does: one variant, the file's text written. */
sealed interface ExampleOp extends Operation {

    /** Writes {@code to} as the greeting file's text. */
    record WriteText(String from, String to) implements ExampleOp {
        public String field() { return ExampleReconciler.FIELD; }
        public Layer layer() { return Layer.PERSISTED; }
    }
}
