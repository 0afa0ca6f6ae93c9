package io.devbox.agent.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a box's report lives: on shard ref {@code refs/devbox/reports/<xx>} ({@code xx} the first two hex digits of
 * sha256(hostname), so at most 256 report refs whatever the fleet's size), in the file {@code <hostname>.json} of
 * that commit's tree. A hostname is used as it is in the file name, except that {@code %} and {@code /} (which a tree
 * entry cannot hold) are written {@code %25} and {@code %2F}.
 *
 * <p>Before shards, each box had its own ref {@code refs/devbox/reports/<hostname>} holding {@code report.json}:
 * such legacy refs are still read, and a box's next push deletes its own.
 */
public final class ReportNames {
    public static final String PREFIX = "refs/devbox/reports/";
    /** The one file of a legacy per-box report commit. */
    public static final String LEGACY_FILE = "report.json";
    static final String SUFFIX = ".json";
    /** Longer than any DNS name (253): a report file name must stay a valid file name on every file system. */
    static final int MAX_HOSTNAME = 253;

    private ReportNames() {
    }

    /** The two lower-case hex digits of this host's shard. */
    public static String shard(String hostname) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(hostname.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().toHexDigits(d[0]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String shardRef(String hostname) {
        return PREFIX + shard(hostname);
    }

    /** True for a ref name suffix that names a shard ({@code 00} to {@code ff}). */
    public static boolean isShardName(String suffix) {
        return suffix.length() == 2 && HexFormat.isHexDigit(suffix.charAt(0)) && HexFormat.isHexDigit(suffix.charAt(1))
                && suffix.equals(suffix.toLowerCase(java.util.Locale.ROOT));
    }

    /** Why this hostname cannot publish a report, or empty when it can. */
    public static Optional<String> problem(String hostname) {
        if (hostname == null || hostname.isEmpty()) return Optional.of("the hostname is empty");
        if (hostname.length() > MAX_HOSTNAME) return Optional.of("the hostname is longer than " + MAX_HOSTNAME + " characters");
        for (int i = 0; i < hostname.length(); i++) {
            char c = hostname.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) return Optional.of("the hostname holds a control character");
        }
        return Optional.empty();
    }

    /** The report's file name in a shard tree. */
    public static String fileName(String hostname) {
        return hostname.replace("%", "%25").replace("/", "%2F") + SUFFIX;
    }

    /** The hostname of a report file in a shard tree, or empty for a file that is no report. */
    public static Optional<String> hostnameOf(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() == SUFFIX.length()) return Optional.empty();
        String encoded = fileName.substring(0, fileName.length() - SUFFIX.length());
        StringBuilder out = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (encoded.startsWith("%25", i)) out.append('%');
                else if (encoded.startsWith("%2F", i)) out.append('/');
                else return Optional.empty();
                i += 2;
            } else {
                out.append(c);
            }
        }
        return problem(out.toString()).isPresent() ? Optional.empty() : Optional.of(out.toString());
    }
}
