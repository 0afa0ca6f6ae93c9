package io.devbox.agent.kinds.packages;

import java.util.regex.Pattern;

/** Debian package names (policy 5.6.1): lower case letters, digits, {@code + - .}, at least two, starting alphanumeric. */
final class PackageNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,127}");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private PackageNames() {
    }

    /** A package name, optionally qualified by an architecture ({@code libc6:i386}). */
    static boolean valid(String s) {
        if (s == null) return false;
        int colon = s.indexOf(':');
        if (colon < 0) return NAME.matcher(s).matches();
        return NAME.matcher(s.substring(0, colon)).matches() && ARCH.matcher(s.substring(colon + 1)).matches();
    }
}
