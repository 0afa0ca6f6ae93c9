package io.devbox.agent.profile;

import java.util.Optional;

/** Hostname globs: {@code *} any characters, {@code ?} one, {@code [a-z]} / {@code [!a-z]} a class; case-insensitive. */
final class Glob {
    private Glob() {
    }

    /** Why {@code glob} is malformed, or empty when it is fine. */
    static Optional<String> problem(String glob) {
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '[') {
                int end = classEnd(glob, i);
                if (end < 0) return Optional.of("unterminated '[' in hostname glob '" + glob + "'");
                i = end + 1;
            } else if (c == ']') {
                return Optional.of("unmatched ']' in hostname glob '" + glob + "'");
            } else {
                i++;
            }
        }
        return Optional.empty();
    }

    static boolean matches(String glob, String name) {
        return match(glob.toLowerCase(java.util.Locale.ROOT), 0, name.toLowerCase(java.util.Locale.ROOT), 0);
    }

    private static boolean match(String g, int gi, String s, int si) {
        // iterative with backtracking to the last '*': linear enough for hostnames
        int starG = -1, starS = -1;
        while (si < s.length()) {
            if (gi < g.length()) {
                char c = g.charAt(gi);
                if (c == '*') {
                    starG = gi++;
                    starS = si;
                    continue;
                }
                if (c == '?') {
                    gi++;
                    si++;
                    continue;
                }
                if (c == '[') {
                    int end = classEnd(g, gi);
                    if (end > 0 && inClass(g, gi + 1, end, s.charAt(si))) {
                        gi = end + 1;
                        si++;
                        continue;
                    }
                } else if (c == s.charAt(si)) {
                    gi++;
                    si++;
                    continue;
                }
            }
            if (starG < 0) return false;
            gi = starG + 1;
            si = ++starS;
        }
        while (gi < g.length() && g.charAt(gi) == '*') gi++;
        return gi == g.length();
    }

    /** Index of the ']' closing the class that starts at {@code open}, or -1. A ']' right after '[' or '[!' is literal. */
    private static int classEnd(String g, int open) {
        int i = open + 1;
        if (i < g.length() && (g.charAt(i) == '!' || g.charAt(i) == '^')) i++;
        if (i < g.length() && g.charAt(i) == ']') i++;
        while (i < g.length() && g.charAt(i) != ']') i++;
        return i < g.length() ? i : -1;
    }

    private static boolean inClass(String g, int from, int end, char ch) {
        boolean negate = g.charAt(from) == '!' || g.charAt(from) == '^';
        int i = negate ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char lo = g.charAt(i);
            if (lo == ']' && !first) break;
            first = false;
            if (i + 2 < end && g.charAt(i + 1) == '-') {
                if (ch >= lo && ch <= g.charAt(i + 2)) found = true;
                i += 3;
            } else {
                if (ch == lo) found = true;
                i++;
            }
        }
        return found != negate;
    }
}
