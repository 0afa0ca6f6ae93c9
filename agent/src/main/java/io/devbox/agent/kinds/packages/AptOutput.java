package io.devbox.agent.kinds.packages;

import io.devbox.agent.host.CommandResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What apt-get said, in its own words: its {@code E:} lines, the holder of a lock, what a simulation would remove. */
final class AptOutput {
    private static final Pattern HOLDER = Pattern.compile("It is held by process ([0-9]+) \\(([^)\\n]{0,64})\\)");
    private static final Pattern LOCK_FILE = Pattern.compile("lock (/[^\\s()]*?/lock(?:-frontend)?)\\b");
    private static final Pattern REMOVED = Pattern.compile("(?m)^Remv (\\S+)");
    private static final int MAX_LINES = 6;

    private AptOutput() {
    }

    /** apt's error lines ({@code E: ...}), at most a few, or its last output line when it printed none. */
    static String errors(CommandResult r) {
        List<String> lines = new ArrayList<>();
        for (String l : (r.stdout() + "\n" + r.stderr()).split("\n")) {
            if ((l.startsWith("E: ") || l.startsWith("dpkg: error")) && !lines.contains(l.strip())) lines.add(l.strip());
        }
        if (lines.isEmpty()) return r.describe();
        if (lines.size() > MAX_LINES) lines = lines.subList(0, MAX_LINES);
        return String.join("; ", lines);
    }

    /** "process 97 (apt-get)" when apt said who holds the lock it waited for. */
    static Optional<String> lockHolder(CommandResult r) {
        Matcher m = HOLDER.matcher(r.stdout() + "\n" + r.stderr());
        return m.find() ? Optional.of("process " + m.group(1) + " (" + m.group(2) + ")") : Optional.empty();
    }

    /** Whether apt gave up waiting for the dpkg or lists lock. */
    static boolean lockBusy(CommandResult r) {
        String all = r.stdout() + "\n" + r.stderr();
        return all.contains("Could not get lock") || all.contains("Unable to acquire the dpkg frontend lock")
                || all.contains("Unable to lock directory");
    }

    /** The lock file apt named, or the dpkg frontend lock. */
    static String lockFile(CommandResult r) {
        Matcher m = LOCK_FILE.matcher(r.stdout() + "\n" + r.stderr());
        return m.find() ? m.group(1) : "/var/lib/dpkg/lock-frontend";
    }

    /** The packages an {@code apt-get -s} run would remove ({@code Remv NAME [VERSION]} lines). */
    static Set<String> removals(String simulation) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = REMOVED.matcher(simulation);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
