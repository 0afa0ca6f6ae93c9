package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

import java.io.IOException;
import java.util.SortedSet;

/** What a change of a cgroup does. */
public sealed interface CgroupOp extends Operation {
    /** How plans show a cgroup directory that exists. */
    String PRESENT = "present";

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException, IOException;

    /** The steps of the cgroup kind's apply, one per variant. */
    interface Steps {
        void makeDirectory(MakeDirectory op) throws IOException;

        void removeDirectory(RemoveDirectory op) throws IOException;

        void enableControllers(EnableControllers op) throws IOException;

        void setLimit(SetLimit op) throws IOException;

        void writeDropin(WriteDropin op) throws IOException;

        void deleteDropin(DeleteDropin op) throws IOException;
    }

    /** Creates the cgroup's directory in {@code hierarchy} (v1: a controller's hierarchy; v2: {@code ""}). */
    record MakeDirectory(String hierarchy) implements CgroupOp {
        public String field() { return CgroupReconciler.cgroupField(hierarchy); }
        public Layer layer() { return Layer.RUNTIME; }
        public String from() { return null; }
        public String to() { return PRESENT; }
        public void applyWith(Steps steps) throws IOException { steps.makeDirectory(this); }
    }

    /** Removes the cgroup's directory in {@code hierarchy} (pruning). */
    record RemoveDirectory(String hierarchy) implements CgroupOp {
        public String field() { return CgroupReconciler.cgroupField(hierarchy); }
        public Layer layer() { return Layer.RUNTIME; }
        public String from() { return PRESENT; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws IOException { steps.removeDirectory(this); }
    }

    /** v2: enables the controllers in {@code after} that {@code ancestor} ({@code ""}: the root) lacks in {@code before}. */
    record EnableControllers(String ancestor, SortedSet<String> before, SortedSet<String> after) implements CgroupOp {
        public EnableControllers {
            before = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(before));
            after = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(after));
        }

        public String field() { return CgroupReconciler.SUBTREE_FIELD + (ancestor.isEmpty() ? "/" : ancestor); }
        public Layer layer() { return Layer.RUNTIME; }
        public String from() { return before.isEmpty() ? null : String.join(" ", before); }
        public String to() { return String.join(" ", after); }

        /** The controllers to switch on. */
        public SortedSet<String> added() {
            SortedSet<String> add = new java.util.TreeSet<>(after);
            add.removeAll(before);
            return add;
        }

        public void applyWith(Steps steps) throws IOException { steps.enableControllers(this); }
    }

    /** Writes interface file {@code file} ({@code memory.max}, {@code cpu.shares}, ...) to the normalized {@code to}. */
    record SetLimit(String file, String from, String to) implements CgroupOp {
        public String field() { return file; }
        public Layer layer() { return Layer.RUNTIME; }
        public void applyWith(Steps steps) throws IOException { steps.setLimit(this); }
    }

    /** Writes the slice's drop-in with {@code text}; plans show both sides as {@link SliceDropin#summary}. */
    record WriteDropin(String before, String text) implements CgroupOp {
        public String field() { return CgroupReconciler.DROPIN_FIELD; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return SliceDropin.summary(before); }
        public String to() { return SliceDropin.summary(text); }
        public void applyWith(Steps steps) throws IOException { steps.writeDropin(this); }
    }

    /** Deletes the slice's drop-in the agent wrote (pruning). */
    record DeleteDropin(String before) implements CgroupOp {
        public String field() { return CgroupReconciler.DROPIN_FIELD; }
        public Layer layer() { return Layer.PERSISTED; }
        public String from() { return SliceDropin.summary(before); }
        public String to() { return null; }
        public void applyWith(Steps steps) throws IOException { steps.deleteDropin(this); }
    }
}
