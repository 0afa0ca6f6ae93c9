package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/** Owners whose files are as trusted as the agent itself: root and the agent's own user. */
record TrustedOwners(UserPrincipal root, UserPrincipal self, int selfUid) {

    static TrustedOwners ofThisProcess() throws IOException {
        Path proc = Path.of("/proc/self");
        UserPrincipal self = Files.getOwner(proc);
        int uid = (Integer) Files.getAttribute(proc, "unix:uid");
        UserPrincipal root = proc.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("0");
        return new TrustedOwners(root, self, uid);
    }

    boolean contains(UserPrincipal owner) {
        return owner.equals(root) || owner.equals(self);
    }
}
