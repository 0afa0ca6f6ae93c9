package io.devbox.agent.profile;

import java.util.List;
import java.util.Map;

/**
 * Which boxes a profile applies to. An empty {@code hostnames} list means any hostname (the schema does not allow an
 * empty list to be written); every entry of {@code labels} must equal the box's label of that name.
 */
public record Selector(List<String> hostnames, Map<String, String> labels) {
    /** The selector of a profile without one: matches every box. */
    public static final Selector ANY = new Selector(List.of(), Map.of());

    public Selector {
        hostnames = List.copyOf(hostnames);
        labels = Map.copyOf(labels);
    }

    public boolean matches(HostIdentity host) {
        if (!hostnames.isEmpty()) {
            String name = host.hostname() == null ? "" : host.hostname();
            if (hostnames.stream().noneMatch(g -> Glob.matches(g, name))) return false;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(host.labels().get(e.getKey()))) return false;
        }
        return true;
    }
}
