package io.devbox.agent.kinds.packages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * dpkg's view of packages, parsed from {@code dpkg-query -W -f=FORMAT NAME...} with {@link #FORMAT}. Lines that do
 * not have the expected shape are ignored (dpkg prints its complaints about unknown names on stderr).
 */
public final class DpkgStatus {
    /** binary:Package (with :arch for Multi-Arch: same), Package, db:Status-Abbrev, Version, Status. */
    public static final String FORMAT = "${binary:Package}\\t${Package}\\t${db:Status-Abbrev}\\t${Version}\\t${Status}\\n";
    private static final Pattern ABBREV = Pattern.compile("[uihrp][ncHUFWti][ R]");

    private record Entry(String binaryName, String name, String abbrev, String version, String status) {
    }

    private final Map<String, List<Entry>> byName;

    private DpkgStatus(Map<String, List<Entry>> byName) {
        this.byName = byName;
    }

    public static DpkgStatus parse(String output) {
        Map<String, List<Entry>> byName = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length != 5 || !ABBREV.matcher(f[2]).matches() || !PackageNames.valid(f[1])) continue;
            Entry e = new Entry(f[0], f[1], f[2], f[3].strip(), f[4].strip());
            byName.computeIfAbsent(f[1], k -> new ArrayList<>()).add(e);
            if (!f[0].equals(f[1])) byName.computeIfAbsent(f[0], k -> new ArrayList<>()).add(e);
        }
        return new DpkgStatus(byName);
    }

    /**
     * The state of {@code name} (with {@code :arch} it names that instance only). Of several architectures' instances
     * the installed (else broken) one counts.
     */
    public PackageObserved of(String name) {
        List<Entry> entries = byName.getOrDefault(name, List.of()).stream()
                .filter(e -> name.indexOf(':') < 0 || e.binaryName().equals(name) || e.name().equals(name))
                .toList();
        PackageObserved best = PackageObserved.absent();
        for (Entry e : entries) {
            PackageObserved o = observed(e);
            if (rank(o) > rank(best)) best = o;
        }
        return best;
    }

    private static int rank(PackageObserved o) {
        return switch (o.state()) {
            case INSTALLED -> 2;
            case BROKEN -> 1;
            case ABSENT -> o.held() ? 0 : -1;
        };
    }

    private static PackageObserved observed(Entry e) {
        boolean held = e.abbrev().charAt(0) == 'h';
        char s = e.abbrev().charAt(1);
        boolean reinstRequired = e.abbrev().charAt(2) == 'R';
        PackageObserved.State state;
        if (reinstRequired || s == 'H' || s == 'U' || s == 'F') state = PackageObserved.State.BROKEN;
        else if (s == 'i' || s == 'W' || s == 't') state = PackageObserved.State.INSTALLED;
        else state = PackageObserved.State.ABSENT;
        String version = state == PackageObserved.State.ABSENT || e.version().isEmpty() ? null : e.version();
        String status = e.status().isEmpty() ? e.abbrev().strip() : e.status();
        return new PackageObserved(state, version, held, status, null);
    }
}
