package io.devbox.agent.source;

import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.RepoFiles;

import java.util.List;

/**
 * The profiles at one pinned revision.
 *
 * @param repo    where they came from (URL or path)
 * @param ref     the ref asked for, or null for the default
 * @param commit  the pinned commit id, or null when read from files on disk
 * @param files   any file of the source at that revision
 */
public record Snapshot(String repo, String ref, String commit, List<ProfileFile> profiles, RepoFiles files) {
    public Snapshot {
        profiles = List.copyOf(profiles);
    }

    public String shortCommit() {
        return commit == null ? "working tree" : commit.substring(0, Math.min(7, commit.length()));
    }
}
