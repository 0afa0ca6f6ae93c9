package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Owners whose files are as trusted as the agent itself: root and the agent's own user. Compared by uid: a file's
 * owner as a principal costs a passwd lookup (through every NSS module) each time it is asked for.
 */
record TrustedOwners(int selfUid) {

    static TrustedOwners ofThisProcess() throws IOException {
        return new TrustedOwners((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    boolean contains(int uid) {
        return uid == 0 || uid == selfUid;
    }
}
