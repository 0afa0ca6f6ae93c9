package io.devbox.agent.host;

/**
 * The one place where values are made safe to show to a person: on a terminal, in a Markdown report, in a log line
 * or an error message. A value may come from a developer's file (an env file, a git config, a hook) and reach root's
 * terminal: an ESC or CSI sequence in it could clear the screen, retitle the window or repaint the plan root is about
 * to approve. So every control character becomes a visible escape: C0 (ESC, BEL, CR, NUL, ...), DEL, C1 (U+0080 to
 * U+009F, which some terminals read as 8-bit CSI/OSC), the Unicode line and paragraph separators, and the
 * bidirectional overrides and isolates that reorder what is displayed ("Trojan Source", CVE-2021-42574).
 *
 * <p>JSON output does not pass here: its own escaping keeps it JSON. A backslash is left as it is (Windows paths stay
 * readable); an escape can therefore look like a value that contains the same text, never like a control.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code value} on one line: every control character escaped, line feeds included. Null stays null. */
    public static String escape(String value) {
        return escape(value, false);
    }

    /**
     * {@code text} whose line feeds are structure (a message of several lines we composed): line feeds are kept,
     * everything else is escaped as by {@link #escape(String)}.
     */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    /** {@link String#valueOf(Object)} of {@code value}, escaped. */
    public static String escape(Object value) {
        return escape(String.valueOf(value), false);
    }

    private static String escape(String s, boolean keepLineFeeds) {
        if (s == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = c == '\n' && keepLineFeeds ? null : replacement(c);
            if (rep == null) {
                if (out != null) out.append(c);
            } else {
                if (out == null) out = new StringBuilder(s.length() + 8).append(s, 0, i);
                out.append(rep);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Whether {@code c} would be shown escaped. */
    public static boolean isUnsafe(char c) {
        return replacement(c) != null;
    }

    private static String replacement(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\0' -> "\\0";
            case '\u001b' -> "\\e";
            default -> c < 0x20 || (c >= 0x7f && c < 0xa0) || isLayoutControl(c) ? String.format("\\u%04x", (int) c) : null;
        };
    }

    /** Line/paragraph separators and the bidirectional embeddings, overrides, isolates and marks. */
    private static boolean isLayoutControl(char c) {
        return c == '\u2028' || c == '\u2029'
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
