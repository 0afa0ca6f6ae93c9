package io.devbox.agent.profile;

import java.io.IOException;
import java.util.Optional;

/** Reads a file of the profile source at the pinned revision; paths are relative to the repository root. */
@FunctionalInterface
public interface RepoFiles {
    Optional<byte[]> read(String repoRelativePath) throws IOException;

    RepoFiles NONE = path -> Optional.empty();
}
