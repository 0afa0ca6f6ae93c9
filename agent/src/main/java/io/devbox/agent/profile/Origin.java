package io.devbox.agent.profile;

/** Where a value came from: a file relative to the repository root, 1-based line and column (0 when unknown). */
public record Origin(String file, int line, int column) {
    public static Origin ofFile(String file) {
        return new Origin(file, 0, 0);
    }

    /** {@code file:line}, the short form used in plans. */
    public String shortForm() {
        return line > 0 ? file + ":" + line : file;
    }

    /** {@code file:line:col}, the form used in error messages. */
    public String longForm() {
        if (line <= 0) return file;
        return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
    }
}
