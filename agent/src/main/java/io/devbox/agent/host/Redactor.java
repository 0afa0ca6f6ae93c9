package io.devbox.agent.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are taken out of what the agent shows or records: plans, drift reports, run records, fleet
 * reports, metrics, logs and error messages all pass through {@link #redact(String)} before they leave the process.
 * Secrets are recognised by shape: the password of a URL ({@code https://user:password@host}) and token formats
 * (GitHub tokens, in any letter case), also when base64-encoded (an {@code Authorization: Basic} header, a
 * {@code .credentials} file echoed by a tool). Values a kind knows to be secret it shows through {@link #mask(String)}
 * in its changes, so that they never reach the engine in clear; a secret it holds itself (a registration token) it
 * takes out of a tool's output with {@link #scrub(String, String, String)}.
 */
public final class Redactor {
    public static final String MASK = "***";
    /** The patterns, compiled on first need: most text has no candidate, and compiling them is start-up time. */
    private static final class Patterns {
        /** scheme://user:password@ (a password already masked is left alone, so that redacting twice changes nothing). */
        static final Pattern URL_PASSWORD = Pattern.compile(
                "([A-Za-z][A-Za-z0-9+.-]*://[^/@\\s:'\"<>]*):(?!\\*\\*\\*)([^/@\\s'\"<>]+)@");
        static final Pattern TOKENS = Pattern.compile(
                "(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})(?![A-Za-z0-9_])",
                Pattern.CASE_INSENSITIVE);
    }

    private Redactor() {
    }

    /** {@code text} with every recognised secret replaced by {@value #MASK}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        String s = text;
        if (s.indexOf('@') >= 0 && s.contains("://")) {
            s = Patterns.URL_PASSWORD.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        }
        if (mayHoldToken(s)) s = Patterns.TOKENS.matcher(s).replaceAll(MASK);
        // the base64 of "gh", "github_pat_" and "://" holds a letter beyond a-f at every alignment: hex runs cannot hide them
        return Base64Runs.replace(s, MIN_ENCODED_SECRET, decoded -> !redactPlain(decoded).equals(decoded), MASK, true);
    }

    /** The shortest base64 run worth decoding: a token is at least 24 characters, 32 once encoded. */
    private static final int MIN_ENCODED_SECRET = 32;

    /** {@link #redact} without looking into base64 (for text that was just decoded from it). */
    private static String redactPlain(String s) {
        if (s.indexOf('@') >= 0 && s.contains("://")) {
            s = Patterns.URL_PASSWORD.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        }
        return mayHoldToken(s) ? Patterns.TOKENS.matcher(s).replaceAll(MASK) : s;
    }

    /** Whether {@code s} has a token prefix ({@code gh?_} with ? one of pousr, or {@code github_pat_}), in any case. */
    private static boolean mayHoldToken(String s) {
        // every prefix ends in '_', which is rarer than 'g' in what the agent prints (and indexOf is an intrinsic)
        for (int i = s.indexOf('_'); i >= 0; i = s.indexOf('_', i + 1)) {
            if (i >= 3 && (s.charAt(i - 3) | 0x20) == 'g' && (s.charAt(i - 2) | 0x20) == 'h'
                    && "pousr".indexOf(s.charAt(i - 1) | 0x20) >= 0) {
                return true;
            }
            if (i >= 10 && s.regionMatches(true, i - 10, "github_pat_", 0, 11)) return true;
        }
        return false;
    }

    /**
     * {@code text} with every occurrence of {@code secret} replaced by {@code replacement}: as it is, in any letter
     * case (a tool that upper-cases what it echoes), and base64-encoded, alone or inside a longer encoded value, in
     * the standard or the URL-safe alphabet (an encoded run holding it is replaced whole). Null or empty secrets
     * change nothing.
     */
    public static String scrub(String text, String secret, String replacement) {
        if (text == null || secret == null || secret.isEmpty()) return text;
        String s = replaceIgnoringCase(text, secret, replacement);
        String lower = secret.toLowerCase(java.util.Locale.ROOT);
        int minRun = Math.max(4, (secret.getBytes(StandardCharsets.UTF_8).length * 4) / 3);
        return Base64Runs.replace(s, minRun, decoded -> decoded.toLowerCase(java.util.Locale.ROOT).contains(lower), replacement);
    }

    /** {@link #scrub(String, String, String)} with {@value #MASK}. */
    public static String scrub(String text, String secret) {
        return scrub(text, secret, MASK);
    }

    private static String replaceIgnoringCase(String text, String secret, String replacement) {
        StringBuilder out = null;
        int from = 0;
        for (int i = 0; i + secret.length() <= text.length(); ) {
            if (text.regionMatches(true, i, secret, 0, secret.length())) {
                if (out == null) out = new StringBuilder(text.length());
                out.append(text, from, i).append(replacement);
                i += secret.length();
                from = i;
            } else {
                i++;
            }
        }
        return out == null ? text : out.append(text, from, text.length()).toString();
    }

    public static byte[] redact(byte[] utf8) {
        String s = new String(utf8, StandardCharsets.UTF_8);
        String r = redact(s);
        return r.equals(s) ? utf8 : r.getBytes(StandardCharsets.UTF_8);
    }

    /** True when {@code text} holds something {@link #redact} would hide. */
    public static boolean containsSecret(String text) {
        return text != null && !redact(text).equals(text);
    }

    /**
     * A secret-bearing value as a kind shows it in a change: the secret parts replaced by {@value #MASK} and a short
     * digest of the whole value, so that a changed secret still shows as a change (and as drift) without showing it.
     */
    public static String mask(String value) {
        if (value == null || !containsSecret(value)) return value;
        return redact(value) + " (" + MASK + " sha256:" + digest(value) + ")";
    }

    /** A whole value that is secret (a token): only its digest. */
    public static String maskWhole(String value) {
        return value == null ? null : MASK + " sha256:" + digest(value);
    }

    private static String digest(String value) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An output stream that redacts line by line (and whatever is pending at a flush) before passing bytes on. */
    public static OutputStream stream(OutputStream out) {
        return new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                line.write(b);
                if (b == '\n' || line.size() > 1 << 16) drain();
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                int from = off;
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        line.write(b, from, i + 1 - from);
                        drain();
                        from = i + 1;
                    }
                }
                line.write(b, from, off + len - from);
                if (line.size() > 1 << 16) drain();
            }

            private void drain() throws IOException {
                if (line.size() == 0) return;
                out.write(redact(line.toByteArray()));
                line.reset();
            }

            @Override
            public synchronized void flush() throws IOException {
                drain();
                out.flush();
            }

            @Override
            public synchronized void close() throws IOException {
                flush();
                out.close();
            }
        };
    }
}
