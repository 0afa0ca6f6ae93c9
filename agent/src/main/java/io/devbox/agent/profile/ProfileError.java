package io.devbox.agent.profile;

/** One located profile error; rendered as {@code FILE:LINE:COL: message}. */
public record ProfileError(Origin origin, String message) implements Comparable<ProfileError> {
    /** One line: control characters from hostile keys, values or file names are shown escaped, never raw. */
    public String render() {
        return escapeControls(origin.longForm() + ": " + message);
    }

    /** {@code \n}, {@code \r}, {@code \t}, {@code \0} and other C0/C1 controls as visible escapes. */
    public static String escapeControls(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\0' -> "\\0";
                default -> c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (rep == null) {
                if (out != null) out.append(c);
            } else {
                if (out == null) out = new StringBuilder(s.length() + 8).append(s, 0, i);
                out.append(rep);
            }
        }
        return out == null ? s : out.toString();
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
