package io.devbox.agent.kinds.wsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The sections, keys and value types of /etc/wsl.conf and .wslconfig that profiles may set (see DOMAIN.md). */
public final class WslKeys {

    /** A value type: validates and normalizes for comparison. */
    public enum Type {
        BOOL("true or false"), INT("a whole number"), SIZE("a size like 8GB, 512MB"), STRING("a string"),
        CGROUPS("v1 or v2"), NETWORKING_MODE("nat, mirrored, virtioproxy or none"),
        MEMORY_RECLAIM("disabled, gradual or dropcache"), PORT_LIST("a comma-separated list of ports");

        private static final Pattern SIZE_RE = Pattern.compile("(?i)[0-9]+([KMGT]B?|B)?");
        private static final Pattern PORTS_RE = Pattern.compile("[0-9]{1,5}(\\s*,\\s*[0-9]{1,5})*");
        private final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        public String expected() {
            return expected;
        }

        public boolean valid(String v) {
            return switch (this) {
                case BOOL -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
                case INT -> v.matches("[0-9]{1,10}");
                case SIZE -> SIZE_RE.matcher(v).matches();
                case STRING -> true;
                case CGROUPS -> List.of("v1", "v2").contains(v.toLowerCase(Locale.ROOT));
                case NETWORKING_MODE -> List.of("nat", "mirrored", "virtioproxy", "none").contains(v.toLowerCase(Locale.ROOT));
                case MEMORY_RECLAIM -> List.of("disabled", "gradual", "dropcache").contains(v.toLowerCase(Locale.ROOT));
                case PORT_LIST -> PORTS_RE.matcher(v).matches();
            };
        }

        /** The form two values are compared in: WSL reads booleans, modes and sizes case-insensitively. */
        public String normalize(String v) {
            if (v == null) return null;
            return switch (this) {
                case STRING -> v;
                case PORT_LIST -> v.replaceAll("\\s+", "");
                default -> v.strip().toLowerCase(Locale.ROOT);
            };
        }
    }

    /** File -> section -> canonical key spelling -> type. */
    private static final Map<WslFile, Map<String, Map<String, Type>>> KNOWN = Map.of(
            WslFile.CONF, sections(
                    "boot", keys("systemd", Type.BOOL, "command", Type.STRING, "protectBinfmt", Type.BOOL),
                    "automount", keys("enabled", Type.BOOL, "mountFsTab", Type.BOOL, "root", Type.STRING,
                            "options", Type.STRING, "cgroups", Type.CGROUPS),
                    "network", keys("generateHosts", Type.BOOL, "generateResolvConf", Type.BOOL, "hostname", Type.STRING),
                    "interop", keys("enabled", Type.BOOL, "appendWindowsPath", Type.BOOL),
                    "user", keys("default", Type.STRING)),
            WslFile.WSLCONFIG, sections(
                    "wsl2", keys("memory", Type.SIZE, "processors", Type.INT, "swap", Type.SIZE,
                            "kernelCommandLine", Type.STRING, "networkingMode", Type.NETWORKING_MODE,
                            "vmIdleTimeout", Type.INT, "localhostForwarding", Type.BOOL, "dnsTunneling", Type.BOOL,
                            "firewall", Type.BOOL),
                    "experimental", keys("autoMemoryReclaim", Type.MEMORY_RECLAIM, "sparseVhd", Type.BOOL,
                            "ignoredPorts", Type.PORT_LIST, "hostAddressLoopback", Type.BOOL)));

    private WslKeys() {
    }

    /** The known section names of a file, in documentation order. */
    public static List<String> sections(WslFile file) {
        return List.copyOf(KNOWN.get(file).keySet());
    }

    /** The known key names of a section, canonical spelling. */
    public static List<String> keys(WslFile file, String section) {
        Map<String, Type> m = KNOWN.get(file).get(section);
        return m == null ? List.of() : List.copyOf(m.keySet());
    }

    /** The canonical spelling of a section (names are case-insensitive), if known. */
    public static Optional<String> section(WslFile file, String name) {
        return KNOWN.get(file).keySet().stream().filter(s -> s.equalsIgnoreCase(name)).findFirst();
    }

    /** The canonical spelling of a key in a known section, if known. */
    public static Optional<String> key(WslFile file, String section, String name) {
        return keys(file, section).stream().filter(k -> k.equalsIgnoreCase(name)).findFirst();
    }

    public static Type type(WslFile file, String section, String key) {
        return KNOWN.get(file).get(section).get(key);
    }

    private static Map<String, Map<String, Type>> sections(Object... kv) {
        Map<String, Map<String, Type>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked") Map<String, Type> keys = (Map<String, Type>) kv[i + 1];
            m.put((String) kv[i], keys);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Type> keys(Object... kv) {
        Map<String, Type> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Type) kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
