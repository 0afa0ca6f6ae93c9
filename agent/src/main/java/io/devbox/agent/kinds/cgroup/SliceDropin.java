package io.devbox.agent.kinds.cgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The drop-in that makes a slice's limits survive a restart:
 * {@code /etc/systemd/system/<slice>.d/50-devbox-agent.conf}. Pure rendering and comparison.
 */
public final class SliceDropin {
    public static final String FILE_NAME = "50-devbox-agent.conf";

    private SliceDropin() {
    }

    public static String boxPath(String slice) {
        return "/etc/systemd/system/" + slice + ".d/" + FILE_NAME;
    }

    public static String render(CgroupResource r) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by devbox-agent (").append(r.id()).append(", ").append(r.origin().shortForm())
                .append("). Local changes are overwritten.\n[Slice]\n");
        for (String line : directives(r)) b.append(line).append('\n');
        return b.toString();
    }

    /** The directive lines, in profile order. */
    public static List<String> directives(CgroupResource r) {
        List<String> lines = new ArrayList<>();
        for (Wanted w : r.limits()) {
            Setting s = w.setting();
            String value = switch (s) {
                case MEMORY_MAX, MEMORY_HIGH, MEMORY_SWAP_MAX, PIDS_MAX -> w.isMax() ? "infinity" : Long.toString(w.value());
                case CPU_MAX -> w.isMax() ? "" : Conversions.cpuQuotaPercent(w.value());
                case CPU_WEIGHT, IO_WEIGHT -> Long.toString(w.value());
            };
            lines.add(s.systemdProperty() + "=" + value);
        }
        return lines;
    }

    /** A one-line summary of a drop-in's settings (comments and blank lines ignored), for plans and comparison. */
    public static String summary(String content) {
        if (content == null) return null;
        List<String> kept = new ArrayList<>();
        for (String line : content.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            kept.add(t);
        }
        return String.join(" ", kept);
    }
}
