package io.devbox.agent.kinds.sysctl;

/** Sysctl values compare as whitespace-separated fields: the kernel prints tabs, people write spaces. */
public final class SysctlValue {
    private SysctlValue() {
    }

    /**
     * Stripped, fields separated by one space: the fields are what {@code \s+} (space, \t, \n, \x0B, \f, \r)
     * separates. Without a regex, as it runs twice per key and run.
     */
    public static String normalize(String raw) {
        if (raw == null) return null;
        String t = raw.strip();
        if (isNormal(t)) return t;
        StringBuilder sb = new StringBuilder(t.length());
        boolean gap = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (isSeparator(c)) {
                gap = true;
            } else {
                if (gap && sb.length() > 0) sb.append(' ');
                gap = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** No separator but single spaces between fields (t is stripped). */
    private static boolean isNormal(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ' ? i + 1 < t.length() && t.charAt(i + 1) == ' ' : isSeparator(c)) return false;
        }
        return true;
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
