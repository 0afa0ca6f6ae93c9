package io.devbox.agent.kinds.runner;

import io.devbox.agent.profile.Origin;

import java.util.List;
import java.util.Map;

/**
 * The {@code runner} section as the profile declares it (variables expanded, validated). Never holds a token: only
 * where to read one at apply time ({@code tokenFile}, a box path, or {@code tokenEnv}, a variable of the agent's
 * environment).
 *
 * @param origins where each key came from, for the origin of each change
 */
public record RunnerSpec(String url, String name, List<String> labels, String version, String sha256, String mirror,
                         String installDir, String runAs, String tokenFile, String tokenEnv, boolean ephemeral,
                         String group, boolean force, Origin origin, Map<String, Origin> origins) {
    public RunnerSpec {
        labels = List.copyOf(labels);
        origins = Map.copyOf(origins);
    }

    public Origin originOf(String key) {
        return origins.getOrDefault(key, origin);
    }

    public String unitName() {
        return RunnerLayout.unitName(url, name);
    }

    /** Where the token comes from, for messages: never the token itself. */
    public String tokenSource() {
        return tokenFile != null ? "tokenFile " + tokenFile : "environment variable " + tokenEnv;
    }
}
