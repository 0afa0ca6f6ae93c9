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
        try (Stream<Path> walk = Files.walk(root)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : walk.sorted().toList()) {
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
