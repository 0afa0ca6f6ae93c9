package io.devbox.agent.fleet;

import io.devbox.agent.host.Printable;

/**
 * Builds an HTML document where markup is written explicitly ({@link #raw}) and every other string goes through
 * {@link #text} or {@link #attr}: {@code & < > " '} become entities and control characters visible escapes, so a
 * hostname or reason holding markup is shown as the text it is, in element content and in quoted attributes alike.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(8192);

    /** Markup written by the page itself; never pass a string that came from a report. */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    Html text(String s) {
        sb.append(escape(s));
        return this;
    }

    /** For a value inside a double-quoted attribute. */
    Html attr(String s) {
        sb.append(escape(s));
        return this;
    }

    /** Several values in one attribute, one per line (the page's script splits them on line feeds). */
    Html attrLines(java.util.List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append("&#10;");
            sb.append(escape(values.get(i)));
        }
        return this;
    }

    static String escape(String s) {
        String visible = Printable.escape(s == null ? "" : s);
        StringBuilder out = new StringBuilder(visible.length() + 16);
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
