package io.devbox.agent.report;

import io.devbox.agent.host.Printable;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;

/**
 * An error of a run that belongs to no single resource: a profile error (located: file, 1-based line and column) or
 * a problem of the run as a whole (a source error, a failed daemon-reload; file null, line and column 0).
 * JSON: {@code {file, line, column, message}}, with nulls where it is not located.
 */
public record RunError(String file, int line, int column, String message) {
    public static RunError of(String message) {
        return new RunError(null, 0, 0, message);
    }

    public static RunError of(ProfileError e) {
        Origin o = e.origin();
        return new RunError(o.file(), o.line(), o.column(), e.message());
    }

    public boolean located() {
        return file != null;
    }

    /** {@code FILE:LINE:COL: message}, as profile errors read everywhere; the message alone when not located. Raw. */
    public String text() {
        return located() ? new Origin(file, line, column).longForm() + ": " + message : message;
    }

    /** {@link #text()} for a person: control characters escaped ({@link Printable}); JSON carries the raw text. */
    public String render() {
        return Printable.escape(text());
    }
}
