package io.devbox.agent.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Which {@code --repo} values are remote git URLs, and where their cache clone lives. */
public final class GitUrls {
    private static final Pattern SCHEME = Pattern.compile("^(https?|ssh|git|file|git\\+ssh|ssh\\+git)://.+", Pattern.CASE_INSENSITIVE);
    /** scp-like {@code user@host:path} (git's rule: a colon before any slash, and a host part). */
    private static final Pattern SCP = Pattern.compile("^([\\w.+-]+@)?[\\w.-]+:(?!//).+");

    private GitUrls() {
    }

    public static boolean isUrl(String repo) {
        if (repo == null) return false;
        if (SCHEME.matcher(repo).matches()) return true;
        // "dir:with:colon/x" with a slash before the first colon is a path, as in git
        int colon = repo.indexOf(':');
        int slash = repo.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash) && SCP.matcher(repo).matches();
    }

    /**
     * The cache directory name of a URL: a readable tail (host and path, sanitized) and a hash of the whole URL,
     * so two URLs never share a cache and no URL can escape the cache directory.
     */
    public static String cacheKey(String url) {
        String readable = url.replaceFirst("^[a-zA-Z+]+://", "").replaceFirst("^[^@/]*@", "")
                .replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "").toLowerCase(Locale.ROOT);
        if (readable.length() > 40) readable = readable.substring(readable.length() - 40);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return (readable.isEmpty() ? "repo" : readable) + "-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL without credentials, for records and messages ({@code https://user:token@host} must not leak). */
    public static String redact(String url) {
        return url == null ? null : url.replaceFirst("^([a-zA-Z+]+://)[^/@]*:[^/@]*@", "$1***@");
    }
}
