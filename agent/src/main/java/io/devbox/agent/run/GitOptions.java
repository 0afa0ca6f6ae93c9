package io.devbox.agent.run;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How git sources are trusted and fetched (issue 3 "Sources").
 *
 * @param verifyCommits      the pinned head must carry a valid signature by a key in one of the two files
 * @param allowedSigners     SSH keys, git's allowed-signers format
 * @param gpgKeys            armored OpenPGP public keys
 * @param requireFastForward refuse a remote head that does not descend from the last good commit
 * @param fetchTimeout       network timeout of one fetch
 */
public record GitOptions(boolean verifyCommits, Path allowedSigners, Path gpgKeys, boolean requireFastForward,
                         Duration fetchTimeout) {
    public static GitOptions defaults() {
        return new GitOptions(false, null, null, false, Duration.ofSeconds(60));
    }
}
