package io.devbox.agent.host;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Finds base64-encoded secrets in text: every run of base64 characters long enough is decoded at each of the four
 * alignments (the encoded value may follow other letters, as in {@code token=Z2hw...}) in the standard and the
 * URL-safe alphabet, and the whole run is replaced when a decoding holds a secret.
 */
final class Base64Runs {
    private Base64Runs() {
    }

    /** {@code text} with each run of at least {@code minRun} base64 characters whose decoding matches replaced. */
    static String replace(String text, int minRun, Predicate<String> holdsSecret, String replacement) {
        return replace(text, minRun, holdsSecret, replacement, false);
    }

    /**
     * As {@link #replace(String, int, Predicate, String)}; with {@code skipLowerHex}, runs of lower-case hex digits
     * only (sha256 sums and fingerprints, thousands of them in a large run record) are not decoded: the caller knows
     * its secrets' encodings always hold another letter.
     */
    static String replace(String text, int minRun, Predicate<String> holdsSecret, String replacement, boolean skipLowerHex) {
        if (text == null || text.length() < minRun || minRun < 1) return text;
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        // Every text the agent prints or records passes here, mostly once per process (no JIT yet), so it looks at
        // one character in minRun: a run of minRun or more covers one of the probed positions. Only a probe that
        // meets a base64 character makes it look around, to the ends of that run.
        int runsFrom = 0;   // where the next run may begin: after the previous run and its padding
        int probe = minRun - 1;
        while (probe < n) {
            if (!isBase64(text.charAt(probe))) {
                probe += minRun;
                continue;
            }
            int start = probe;
            while (start > runsFrom && isBase64(text.charAt(start - 1))) start--;
            int end = probe + 1;
            while (end < n && isBase64(text.charAt(end))) end++;
            int after = end;
            while (after < n && text.charAt(after) == '=' && after - end < 2) after++;
            if (end - start >= minRun && !(skipLowerHex && lowerHex(text, start, end))
                    && holdsSecret(text.substring(start, end), holdsSecret)) {
                if (out == null) out = new StringBuilder(n);
                out.append(text, copied, start).append(replacement);
                copied = after;
            }
            runsFrom = after;
            probe = after + minRun - 1;
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /** Whether a run decodes, at one of its four alignments, to text holding a secret. */
    static boolean holdsSecret(String run, Predicate<String> holdsSecret) {
        for (int shift = 0; shift < 4 && run.length() - shift >= 4; shift++) {
            // the decoders accept a missing '=' padding; a lone trailing character encodes nothing
            String part = run.substring(shift);
            if (part.length() % 4 == 1) part = part.substring(0, part.length() - 1);
            boolean urlSafe = part.indexOf('-') >= 0 || part.indexOf('_') >= 0;
            boolean standard = part.indexOf('+') >= 0 || part.indexOf('/') >= 0;
            if (urlSafe && standard) continue;
            byte[] bytes;
            try {
                bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(part);
            } catch (IllegalArgumentException e) {
                continue;
            }
            // ISO-8859-1 keeps every byte a character: a secret in ASCII shows whatever surrounds it
            if (holdsSecret.test(new String(bytes, StandardCharsets.ISO_8859_1))) return true;
        }
        return false;
    }

    private static boolean lowerHex(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '-' || c == '_';
    }
}
