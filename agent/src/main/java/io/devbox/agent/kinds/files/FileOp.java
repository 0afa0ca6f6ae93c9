package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.ResourceException;

/**
 * What a change of a managed file does. Texts are in {@link FileText} form; plans show them as {@link FileText#describe}
 * (lines and a digest, so that a hand edit is drift) with a diff of the text itself.
 */
public sealed interface FileOp extends Operation {
    String FILE = "file";
    String CONTENT = "content";
    String BLOCK = "block ";
    String INI = "ini ";
    String MODE = "mode";
    String OWNER = "owner";
    String GROUP = "group";

    /** A file is a persisted thing. */
    default Layer layer() {
        return Layer.PERSISTED;
    }

    /** Makes the op true through {@code steps}: every variant names its step, so the compiler checks apply covers all. */
    void applyWith(Steps steps) throws ResourceException;

    /** The steps of the files kind's apply: edits of the file's text, written once at the end. */
    interface Steps {
        void create(CreateFile op);

        void setContent(SetContent op) throws ResourceException;

        void setBlock(SetBlock op) throws ResourceException;

        void removeBlock(RemoveBlock op) throws ResourceException;

        void setIni(SetIni op) throws ResourceException;

        void unsetIni(UnsetIni op) throws ResourceException;

        void setMode(SetMode op);

        void setOwner(SetOwner op);

        void setGroup(SetGroup op);

        void delete(DeleteFile op);

        void restore(RestoreFile op);
    }

    private static Change.Content shown(String before, String after) {
        return new Change.Content(FileText.shown(before), FileText.shown(after));
    }

    /** The file is not there: the agent creates it (and remembers that it did). */
    record CreateFile() implements FileOp {
        public String field() { return FILE; }
        public String from() { return null; }
        public String to() { return "created"; }
        public void applyWith(Steps steps) { steps.create(this); }
    }

    /** The whole file becomes {@code text}. */
    record SetContent(String before, String text) implements FileOp {
        public String field() { return CONTENT; }
        public String from() { return FileText.describe(before); }
        public String to() { return FileText.describe(text); }
        public Change.Content content() { return shown(before, text); }
        public void applyWith(Steps steps) throws ResourceException { steps.setContent(this); }
    }

    /** Block {@code name} holds {@code body} (appended with {@code prefix} markers when missing). */
    record SetBlock(String name, String prefix, String before, String body) implements FileOp {
        public String field() { return BLOCK + name; }
        public String from() { return FileText.describe(before); }
        public String to() { return FileText.describe(body); }
        public Change.Content content() { return shown(before, body); }
        public void applyWith(Steps steps) throws ResourceException { steps.setBlock(this); }
    }

    /** Block {@code name} (with its markers, written with {@code prefix}) goes. */
    record RemoveBlock(String name, String prefix, String before) implements FileOp {
        public String field() { return BLOCK + name; }
        public String from() { return FileText.describe(before); }
        public String to() { return null; }
        public Change.Content content() { return shown(before, null); }
        public void applyWith(Steps steps) throws ResourceException { steps.removeBlock(this); }
    }

    /** Key {@code key} (SECTION.KEY) is set to {@code value} in place. */
    record SetIni(String key, String from, String value) implements FileOp {
        public String field() { return INI + key; }
        public String to() { return value; }
        public void applyWith(Steps steps) throws ResourceException { steps.setIni(this); }
    }

    /** Key {@code key} goes (its line; a section left empty goes too). */
    record UnsetIni(String key, String from) implements FileOp {
        public String field() { return INI + key; }
        public String to() { return null; }
        public void applyWith(Steps steps) throws ResourceException { steps.unsetIni(this); }
    }

    /** Mode bits, four octal digits. */
    record SetMode(String from, String to) implements FileOp {
        public String field() { return MODE; }
        public void applyWith(Steps steps) { steps.setMode(this); }
    }

    /** Owner, a name or a uid. */
    record SetOwner(String from, String to) implements FileOp {
        public String field() { return OWNER; }
        public void applyWith(Steps steps) { steps.setOwner(this); }
    }

    /** Group, a name or a gid. */
    record SetGroup(String from, String to) implements FileOp {
        public String field() { return GROUP; }
        public void applyWith(Steps steps) { steps.setGroup(this); }
    }

    /**
     * The file goes: one the agent created and wrote whole (field {@code content}: everyone reading it loses it), or one
     * it created for its blocks and keys, now empty of them (field {@code file}).
     */
    record DeleteFile(String field, String before) implements FileOp {
        public String from() { return field.equals(FILE) ? "created" : FileText.describe(before); }
        public String to() { return null; }
        public boolean disruptive() { return field.equals(CONTENT); }
        public Change.Content content() { return field.equals(FILE) ? null : shown(before, null); }
        public void applyWith(Steps steps) { steps.delete(this); }
    }

    /** A file the agent replaced whole gets back the text and mode it had before ({@link KeptFiles}). */
    record RestoreFile(String before, KeptFiles.Copy kept) implements FileOp {
        public String field() { return CONTENT; }
        public String from() { return FileText.describe(before); }
        public String to() { return "restored " + FileText.describe(kept.text()); }
        public boolean disruptive() { return true; }
        public Change.Content content() { return shown(before, kept.text()); }
        public void applyWith(Steps steps) { steps.restore(this); }
    }
}
