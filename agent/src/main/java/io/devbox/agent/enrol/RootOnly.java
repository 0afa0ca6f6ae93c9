package io.devbox.agent.enrol;

import io.devbox.agent.host.TrustedPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Whether a program root is to run at boot can be changed only by this user (root on a box): the rule of
 * {@link TrustedPaths} (the file and every directory above it owned by root or this user and writable by no one
 * else, a sticky directory such as {@code /tmp} above it allowed), and the file must exist. A launcher in a
 * developer's own checkout fails this: root would run at every boot what the developer can edit.
 */
final class RootOnly {
    private RootOnly() {
    }

    /** Why {@code file} is not safe for this user to run unattended, or empty. */
    static Optional<String> problem(Path file) {
        try {
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return TrustedPaths.problem(file, self).map(p -> p + ", so they could change " + file + " that root runs at boot");
        } catch (IOException e) {
            return Optional.of("cannot check " + file + ": " + e.getMessage());
        }
    }
}
