package io.devbox.agent.kinds.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a directory tree holds, entry by entry (type, mode, content digest or link target), for comparing states. */
final class BoxTree {
    private BoxTree() {
    }

    /**
     * @param withDirectories also list directories (an empty directory left behind then counts as a difference)
     * @param excluded        relative paths left out, with what is under them
     */
    static Map<String, String> of(Path root, boolean withDirectories, Set<String> excluded) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Path rel = root.relativize(p);
                if (excluded.stream().anyMatch(x -> rel.startsWith(x))) continue;
                String mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel.toString(), "link " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel.toString(), "file " + mode + " " + sha256(Files.readAllBytes(p)));
                } else if (withDirectories) {
                    out.put(rel.toString(), "dir " + mode);
                }
            }
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
