package io.devbox.agent.profile;

/** One located profile error; rendered as {@code FILE:LINE:COL: message}. */
public record ProfileError(Origin origin, String message) implements Comparable<ProfileError> {
    public String render() {
        return origin.longForm() + ": " + message;
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
