package io.devbox.agent.report;

import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Summary;
import io.devbox.agent.host.Facts;

import java.util.List;

/**
 * Everything a report shows about one run.
 *
 * @param command   plan, apply, drift, ...
 * @param profiles  names of the profiles that apply to this box
 * @param profilesDigest digest of the profile files read, so a saved plan can tell that they changed
 * @param errors    errors that belong to no single resource
 */
public record RunInfo(String id, String command, String startedAt, long durationMillis, SourceInfo source, Facts host,
                      List<String> profiles, String profilesDigest, List<ResourcePlan> resources, List<String> errors) {
    public RunInfo {
        profiles = List.copyOf(profiles);
        resources = List.copyOf(resources);
        errors = List.copyOf(errors);
    }

    public Summary summary() {
        return Summary.of(resources);
    }

    /** @param signature who signed the commit, or null when unsigned or not verified */
    public record SourceInfo(String repo, String ref, String commit, String signature) {
    }
}
