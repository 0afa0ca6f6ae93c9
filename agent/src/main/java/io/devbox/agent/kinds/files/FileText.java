package io.devbox.agent.kinds.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Files as text without touching their bytes: decoded as ISO-8859-1, every byte is one char and encodes back to itself,
 * so whatever a file holds outside the agent's blocks (another encoding, stray bytes) survives an edit unchanged. Text
 * from profiles (UTF-8) is brought into that form with {@link #fromProfile}.
 */
final class FileText {
    private FileText() {
    }

    static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String fromProfile(String utf8) {
        return of(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** The lines of {@code text}, each with its own {@code \n} (the last one may have none). */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    static String join(List<String> lines) {
        return String.join("", lines);
    }

    /** How plans show a text: {@code 3 lines, sha256 1a2b3c4d5e6f} (the digest makes a hand edit visible as drift). */
    static String describe(String text) {
        if (text == null) return null;
        long lines = lines(text).size();
        return lines + (lines == 1 ? " line" : " lines") + ", sha256 " + sha256(bytes(text)).substring(0, 12);
    }

    /** A text as people read it (its bytes as UTF-8), null stays null. */
    static String shown(String text) {
        return text == null ? null : new String(bytes(text), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A block body as written between markers: its text, ending in exactly one line break. */
    static String body(String profileText) {
        String t = fromProfile(profileText);
        return t.endsWith("\n") ? t : t + "\n";
    }
}
