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
 * @param errors    errors that belong to no single resource (profile errors of a run that could not plan)
 * @param only      the kinds the run was limited to ({@code --only}); empty: every kind
 * @param probed    the run got as far as probing the box (false when its profiles were invalid)
 */
public record RunInfo(String id, String command, String startedAt, long durationMillis, SourceInfo source, Facts host,
                      List<String> profiles, String profilesDigest, List<ResourcePlan> resources, List<RunError> errors,
                      List<String> only, boolean probed) {
    public RunInfo {
        profiles = List.copyOf(profiles);
        resources = List.copyOf(resources);
        errors = List.copyOf(errors);
        only = List.copyOf(only);
    }

    /** A run that probed every kind. */
    public RunInfo(String id, String command, String startedAt, long durationMillis, SourceInfo source, Facts host,
                   List<String> profiles, String profilesDigest, List<ResourcePlan> resources, List<RunError> errors) {
        this(id, command, startedAt, durationMillis, source, host, profiles, profilesDigest, resources, errors, List.of(), true);
    }

    public Summary summary() {
        return Summary.of(resources);
    }

    /**
     * @param signature       who signed the commit, or null when unsigned or not verified
     * @param fetchedAt       the last successful fetch of a remote repository (null for local sources)
     * @param error           the source problem of this run (unreachable, bad or untrusted head, refused
     *                        force-push): the run then used {@code commit}, the last good one
     * @param badCommit       the refused head, if any
     * @param badCommitErrors why it was refused
     * @param notes           not problems, but worth telling: a force-push followed, a damaged cache re-cloned
     */
    public record SourceInfo(String repo, String ref, String commit, String signature, String fetchedAt, String error,
                             String badCommit, List<String> badCommitErrors, List<String> notes) {
        public SourceInfo {
            badCommitErrors = badCommitErrors == null ? List.of() : List.copyOf(badCommitErrors);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        public SourceInfo(String repo, String ref, String commit, String signature) {
            this(repo, ref, commit, signature, null, null, null, List.of(), List.of());
        }
    }
}
