package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** Owners whose files are as trusted as the agent itself: root and the agent's own user. */
record TrustedOwners(UserPrincipal root, UserPrincipal self, int selfUid) {

    static TrustedOwners ofThisProcess() throws IOException {
        Path proc = Path.of("/proc/self");
        UserPrincipal self = Files.getOwner(proc);
        int uid = (Integer) Files.getAttribute(proc, "unix:uid");
        var lookup = proc.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal root;
        try {
            root = lookup.lookupPrincipalByName("root"); // found in /etc/passwd at once; "0" would go on to LDAP and the like
        } catch (UserPrincipalNotFoundException e) {
            root = lookup.lookupPrincipalByName("0");
        }
        return new TrustedOwners(root, self, uid);
    }

    boolean contains(UserPrincipal owner) {
        return owner.equals(root) || owner.equals(self);
    }
}
