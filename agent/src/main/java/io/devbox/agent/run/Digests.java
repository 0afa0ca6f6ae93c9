package io.devbox.agent.run;

import io.devbox.agent.profile.ProfileFile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

final class Digests {
    private Digests() {
    }

    /** A digest of the profile files (paths and contents), to tell whether a saved plan's inputs changed. */
    static String profiles(List<ProfileFile> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (ProfileFile f : files.stream().sorted(ProfileFile.BY_PATH).toList()) {
                md.update(f.path().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(f.content());
                // a file too large to read counts by its size (it is refused anyway)
                if (!f.loaded()) md.update(Long.toString(f.size()).getBytes(StandardCharsets.US_ASCII));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
