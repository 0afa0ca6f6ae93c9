package io.devbox.agent.kinds.sysctl;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sysctl name as path segments under /proc/sys. Written {@code a.b.c} or {@code a/b/c}; when the first separator
 * is '/', dots are part of a segment (an interface name like {@code eth0.100}), as procps reads sysctl.d.
 */
public record SysctlKey(List<String> segments) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_@:+-][A-Za-z0-9_.@:+-]*");

    public SysctlKey {
        segments = List.copyOf(segments);
    }

    /** Parses and validates a key; the error says what is wrong. */
    public static SysctlKey parse(String key) throws IllegalArgumentException {
        problem(key).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        int slash = key.indexOf('/');
        int dot = key.indexOf('.');
        boolean slashSeparated = slash >= 0 && (dot < 0 || slash < dot);
        List<String> segs = List.of(key.split(slashSeparated ? "/" : "\\.", -1));
        for (String s : segs) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || !SEGMENT.matcher(s).matches()) {
                throw new IllegalArgumentException("invalid sysctl name '" + key + "': bad part '" + s + "'");
            }
        }
        return new SysctlKey(segs);
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
        List<String> segs = java.util.Arrays.stream(name.split("\\.", -1)).map(x -> x.replace('/', '.')).toList();
        return parse(String.join("/", segs));
    }

    /** The canonical dotted name; a dot inside a segment is shown as '/', like sysctl(8) prints it. */
    public String name() {
        return String.join(".", segments.stream().map(s -> s.replace('.', '/')).toList());
    }

    public Path under(Path sysctlDir) {
        Path p = sysctlDir;
        for (String s : segments) p = p.resolve(s);
        return p;
    }

    public boolean isNetwork() {
        return segments.get(0).equals("net");
    }
}
