package io.devbox.agent.kinds.packages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What apt's lists offer, parsed from {@code apt-cache policy NAME...} (run with {@code LC_ALL=C}): per package its
 * candidate and the versions of its version table. A name apt does not know is simply absent from the output.
 */
public final class AptPolicy {
    private static final Pattern HEADER = Pattern.compile("^(\\S+):$");
    private static final Pattern CANDIDATE = Pattern.compile("^\\s+Candidate:\\s*(\\S+)\\s*$");
    private static final Pattern VERSION_LINE = Pattern.compile("^\\s(?:\\*\\*\\*|   )\\s(\\S+)\\s+-?[0-9]+\\s*$");

    /** @param candidate null when apt has none ({@code (none)}: known, but nothing installable) */
    public record Offer(String candidate, List<String> versions) {
        public Offer {
            versions = List.copyOf(versions);
        }
    }

    private final Map<String, Offer> offers;

    private AptPolicy(Map<String, Offer> offers) {
        this.offers = offers;
    }

    public static AptPolicy parse(String output) {
        Map<String, Offer> offers = new LinkedHashMap<>();
        String name = null;
        String candidate = null;
        List<String> versions = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.matches() && !line.startsWith(" ")) {
                if (name != null) offers.put(name, new Offer(candidate, versions));
                name = h.group(1);
                candidate = null;
                versions = new ArrayList<>();
                continue;
            }
            if (name == null) continue;
            Matcher c = CANDIDATE.matcher(line);
            if (c.matches()) {
                candidate = c.group(1).equals("(none)") ? null : c.group(1);
                continue;
            }
            Matcher v = VERSION_LINE.matcher(line);
            if (v.matches() && DebianVersion.valid(v.group(1))) versions.add(v.group(1));
        }
        if (name != null) offers.put(name, new Offer(candidate, versions));
        return new AptPolicy(offers);
    }

    public Optional<Offer> of(String name) {
        return Optional.ofNullable(offers.get(name));
    }

    /** Whether apt could install what {@code wanted} asks for: the package has a candidate, or has that version. */
    public boolean knows(String name, PackageResource.Wanted wanted) {
        Offer o = offers.get(name);
        if (o == null) return false;
        if (wanted instanceof PackageResource.Version v) return o.versions().contains(v.version());
        return o.candidate() != null;
    }
}
