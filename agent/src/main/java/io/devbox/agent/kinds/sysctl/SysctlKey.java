package io.devbox.agent.kinds.sysctl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sysctl name: path segments under /proc/sys, held in its canonical dotted form (a dot inside a segment is shown
 * as '/', like sysctl(8) prints it). Written {@code a.b.c} or {@code a/b/c}; when the first separator is '/', dots
 * are part of a segment (an interface name like {@code eth0.100}), as procps reads sysctl.d. The canonical name is
 * the value (ids, the managed file and state use it several times per resource and run), so it is built once.
 */
public record SysctlKey(String name) {

    public SysctlKey {
        Objects.requireNonNull(name, "name");
    }

    /** Parses and validates a key; the error says what is wrong. */
    public static SysctlKey parse(String key) throws IllegalArgumentException {
        problem(key).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        int slash = key.indexOf('/');
        int dot = key.indexOf('.');
        boolean slashSeparated = slash >= 0 && (dot < 0 || slash < dot);
        String[] segs = key.split(slashSeparated ? "/" : "\\.", -1);
        StringBuilder canonical = new StringBuilder(key.length());
        for (String s : segs) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || !isSegment(s)) {
                throw new IllegalArgumentException("invalid sysctl name '" + key + "': bad part '" + s + "'");
            }
            if (canonical.length() > 0) canonical.append('.');
            canonical.append(s.replace('.', '/'));
        }
        return new SysctlKey(canonical.toString());
    }

    /** {@code [A-Za-z0-9_@:+-][A-Za-z0-9_.@:+-]*}, without a regex: this runs for every key of every run. */
    static boolean isSegment(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '@' || c == ':' || c == '+' || c == '-' || c == '.' && i > 0;
            if (!ok) return false;
        }
        return !s.isEmpty();
    }

    private static Optional<String> problem(String key) {
        if (key == null || key.isEmpty()) return Optional.of("empty sysctl name");
        if (key.indexOf('\0') >= 0 || key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
            return Optional.of("sysctl name contains a control character");
        }
        if (key.startsWith("/") || key.startsWith(".")) return Optional.of("sysctl name may not start with '" + key.charAt(0) + "': " + key);
        if (key.contains("..")) return Optional.of("sysctl name may not contain '..': " + key);
        if (key.length() > 256) return Optional.of("sysctl name longer than 256 characters");
        return Optional.empty();
    }

    /** Parses the canonical form produced by {@link #name()}. */
    public static SysctlKey fromName(String name) {
        return parse(swapSeparators(name));
    }

    /** The path segments under /proc/sys. */
    public List<String> segments() {
        List<String> out = new ArrayList<>();
        for (String s : name.split("\\.", -1)) out.add(s.replace('/', '.'));
        return List.copyOf(out);
    }

    public Path under(Path sysctlDir) {
        return sysctlDir.resolve(swapSeparators(name));
    }

    public boolean isNetwork() {
        return name.startsWith("net.") || name.equals("net");
    }

    /** Canonical name to path form and back: '.' separates segments in one, '/' in the other. */
    private static String swapSeparators(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] == '.') c[i] = '/';
            else if (c[i] == '/') c[i] = '.';
        }
        return new String(c);
    }
}
