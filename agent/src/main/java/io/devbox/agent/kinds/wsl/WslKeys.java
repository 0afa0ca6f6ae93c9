package io.devbox.agent.kinds.wsl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How WSL compares the values of the /etc/wsl.conf and .wslconfig keys that profiles may set (see DOMAIN.md). Which keys
 * exist and what their values may be is the schema's (wsl/schema.json, which WslKeysTest holds this table to); this
 * table says only what the schema cannot: WSL reads booleans, modes and sizes case-insensitively.
 */
public final class WslKeys {

    /** A value type: how its values are normalized for comparison. */
    public enum Type {
        BOOL, INT, SIZE, STRING, CGROUPS, NETWORKING_MODE, MEMORY_RECLAIM, PORT_LIST;

        /** The form a profile's value is kept in: text as written, sizes and port lists stripped, the rest lower case. */
        public String canonical(String v) {
            return switch (this) {
                case STRING -> v;
                case SIZE, PORT_LIST -> v.strip();
                default -> normalize(v);
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

    /** The files' sections, each with its keys and their types (what WslKeysTest compares with the schema). */
    static Map<String, Map<String, Type>> known(WslFile file) {
        return KNOWN.get(file);
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
