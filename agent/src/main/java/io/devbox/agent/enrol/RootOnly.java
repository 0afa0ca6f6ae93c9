package io.devbox.agent.enrol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * Whether a program root is to run at boot can be changed only by this user (root on a box): the file and every
 * directory above it owned by it and writable by no one else (systemd-tmpfiles' "unsafe path transition" rule). A
 * launcher in a developer's own checkout fails this: root would run at every boot what the developer can edit.
 */
final class RootOnly {
    private RootOnly() {
    }

    /** Why {@code file} is not safe for this user to run unattended, or empty. */
    static Optional<String> problem(Path file) {
        try {
            Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            for (Path p = file.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Object owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (!owner.equals(self)) {
                    return Optional.of(p + " is owned by uid " + owner + ", who could change " + file + " that root runs at boot");
                }
                if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                    return Optional.of(p + " is writable by group or others, who could change " + file + " that root runs at boot");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot check " + file + ": " + e.getMessage());
        }
    }
}
