package io.devbox.agent.kinds.sysctl;

/** Sysctl values compare as whitespace-separated fields: the kernel prints tabs, people write spaces. */
public final class SysctlValue {
    private SysctlValue() {
    }

    public static String normalize(String raw) {
        if (raw == null) return null;
        String t = raw.strip();
        return t.isEmpty() ? "" : String.join(" ", t.split("\\s+"));
    }
}
