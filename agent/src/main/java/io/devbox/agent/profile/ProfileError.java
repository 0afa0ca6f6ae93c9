package io.devbox.agent.profile;

import io.devbox.agent.host.Printable;

/** One located profile error; rendered as {@code FILE:LINE:COL: message}. */
public record ProfileError(Origin origin, String message) implements Comparable<ProfileError> {
    /** One line: control characters from hostile keys, values or file names are shown escaped, never raw. */
    public String render() {
        return Printable.escape(origin.longForm() + ": " + message);
    }

    @Override
    public int compareTo(ProfileError o) {
        int c = origin.file().compareTo(o.origin.file());
        if (c != 0) return c;
        c = Integer.compare(origin.line(), o.origin.line());
        if (c != 0) return c;
        c = Integer.compare(origin.column(), o.origin.column());
        return c != 0 ? c : message.compareTo(o.message);
    }
}
