package io.devbox.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

/** A digest of a directory tree (paths, modes, contents): to prove a command changed nothing. */
public final class TreeHash {
    private TreeHash() {
    }

    public static String of(Path root) throws IOException {
        return ofExcept(root);
    }

    /** As {@link #of}, leaving out the entries (and what is under them) at these paths relative to {@code root}. */
    public static String ofExcept(Path root, String... excluded) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : walk.sorted().toList()) {
                Path rel = root.relativize(p);
                if (java.util.Arrays.stream(excluded).anyMatch(x -> rel.startsWith(x))) continue;
                md.update(root.relativize(p).toString().getBytes());
                md.update(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).toString().getBytes());
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) md.update(Files.readAllBytes(p));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
