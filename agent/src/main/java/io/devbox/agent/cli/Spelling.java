package io.devbox.agent.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The nearest valid spelling of a mistyped word, by edit distance (insertions, deletions, substitutions, swaps). */
final class Spelling {
    private Spelling() {
    }

    /** The candidate closest to {@code input}, when it is close enough to be what was meant. */
    static Optional<String> nearest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty()) return Optional.empty();
        String in = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(in, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        // one edit in a short word ("plna" for "plan", not "go" for "foo"), two in a word of 4 to 8 letters ("untis" for
        // "unit"), a quarter of a longer one (an id like sysctl[vm.swapiness])
        int shorter = Math.min(input.length(), best == null ? 0 : best.length());
        int allowed = shorter <= 3 ? 1 : shorter <= 8 ? 2 : shorter / 4;
        return best != null && bestDistance <= allowed && bestDistance < input.length() ? Optional.of(best) : Optional.empty();
    }

    /** " did you mean 'X'?" or "". */
    static String suggestion(String input, Collection<String> candidates) {
        return nearest(input, candidates).map(s -> ": did you mean '" + s + "'?").orElse("");
    }

    /** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
