package io.devbox.agent.kinds.packages;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Debian package versions as dpkg orders them ({@code dpkg --compare-versions}): {@code [epoch:]upstream[-revision]},
 * epochs compared as numbers, then upstream and revision by dpkg's {@code verrevcmp}: runs of non-digits compare
 * character by character (letters before other characters, {@code ~} before everything, even the end), runs of
 * digits compare as numbers.
 */
public final class DebianVersion {
    /** Policy 5.6.12, loosely: an optional numeric epoch, then characters dpkg accepts; starts with a digit. */
    static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9}:)?[0-9][A-Za-z0-9.+~:-]*");
    public static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {
    }

    /** Whether {@code v} is a version string dpkg would accept (colons only after a numeric epoch). */
    public static boolean valid(String v) {
        if (v == null || v.length() > 256 || !SYNTAX.matcher(v).matches()) return false;
        int colon = v.indexOf(':');
        return colon < 0 || v.substring(0, colon).chars().allMatch(Character::isDigit);
    }

    /** Negative, zero or positive as {@code a} sorts before, equal to or after {@code b}. */
    public static int compare(String a, String b) {
        String[] pa = split(a);
        String[] pb = split(b);
        int c = Long.compare(Long.parseLong(pa[0]), Long.parseLong(pb[0]));
        if (c != 0) return c;
        c = verrevcmp(pa[1], pb[1]);
        return c != 0 ? c : verrevcmp(pa[2], pb[2]);
    }

    /** epoch (default 0), upstream, revision (default empty). */
    private static String[] split(String v) {
        String epoch = "0";
        int colon = v.indexOf(':');
        if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = v.substring(0, colon);
            v = v.substring(colon + 1);
        }
        int dash = v.lastIndexOf('-');
        return dash >= 0 ? new String[]{epoch, v.substring(0, dash), v.substring(dash + 1)} : new String[]{epoch, v, ""};
    }

    private static int order(char c) {
        if (Character.isDigit(c)) return 0;
        if (Character.isLetter(c)) return c;
        if (c == '~') return -1;
        if (c != 0) return c + 256;
        return 0;
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** dpkg's lib/dpkg/version.c verrevcmp, index for pointer. */
    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !digit(at(a, i))) || (j < b.length() && !digit(at(b, j)))) {
                int ac = order(at(a, i));
                int bc = order(at(b, j));
                if (ac != bc) return ac - bc;
                i++;
                j++;
            }
            while (at(a, i) == '0') i++;
            while (at(b, j) == '0') j++;
            while (digit(at(a, i)) && digit(at(b, j))) {
                if (firstDiff == 0) firstDiff = at(a, i) - at(b, j);
                i++;
                j++;
            }
            if (digit(at(a, i))) return 1;
            if (digit(at(b, j))) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }
}
