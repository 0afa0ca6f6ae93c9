package io.devbox.agent.report;

import io.devbox.agent.host.Printable;

/** How a value is shown to a person: absent, short, or summarized when long or multi-line; controls escaped. */
final class Values {
    private static final int MAX = 60;

    private Values() {
    }

    static String show(String v) {
        if (v == null) return "(absent)";
        if (v.indexOf('\n') >= 0) {
            long lines = v.lines().count();
            return lines + (lines == 1 ? " line" : " lines");
        }
        if (v.isEmpty()) return "\"\"";
        return Printable.escape(v.length() > MAX ? v.substring(0, MAX - 3) + "..." : v);
    }
}
