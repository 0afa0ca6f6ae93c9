package io.devbox.agent.profile;

import java.util.Map;

/** What selectors and ${variables} see of the box. */
public record HostIdentity(String hostname, Map<String, String> labels, String user, String home) {
    public HostIdentity {
        labels = Map.copyOf(labels);
    }
}
