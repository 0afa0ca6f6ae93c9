package io.devbox.agent.source;

import java.nio.file.Path;
import java.util.Optional;

/** Where profiles come from. Each call pins one revision and reads every profile from it. */
public interface ProfileSource {
    Snapshot snapshot() throws SourceException;

    /** The checkout beside the committed profiles (of a local repository that has one), to compare them with. */
    default Optional<Path> workTree() {
        return Optional.empty();
    }
}
