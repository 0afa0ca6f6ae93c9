package io.devbox.agent.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Which principals an allowed-signers file (OpenSSH's {@code ssh-keygen} ALLOWED SIGNERS format, git's
 * {@code gpg.ssh.allowedSignersFile}) grants a plain key for signing git objects. JGit verifies the signature and that
 * some line trusts the key; this decides whether a line trusts it <em>for the committer's address</em>, as
 * {@code ssh-keygen -Y verify -I PRINCIPAL} does: the principal patterns of the line, its {@code namespaces=} and its
 * {@code valid-after=} / {@code valid-before=} all apply. Lines it cannot read are skipped (JGit already refused a
 * malformed file); certificate authorities are left to JGit, which checks a certificate's principals itself.
 */
final class AllowedSignersFile {
    /** One line for a plain key: its principal patterns, its options, and its key's fingerprint. */
    record Entry(List<String> principals, List<String> namespaces, Instant validAfter, Instant validBefore, String fingerprint) {
        boolean allows(String principal, Instant at) {
            if (namespaces != null && !matchesList("git", namespaces)) return false;
            if (at != null && validAfter != null && at.isBefore(validAfter)) return false;
            if (at != null && validBefore != null && at.isAfter(validBefore)) return false;
            return matchesList(principal, principals);
        }
    }

    private final List<Entry> entries;

    private AllowedSignersFile(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static AllowedSignersFile parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Entry e = entry(line);
            if (e != null) out.add(e);
        }
        return new AllowedSignersFile(out);
    }

    /** Whether a line for the key with {@code fingerprint} ({@code SHA256:...}) allows {@code principal} at {@code at}. */
    boolean allows(String fingerprint, String principal, Instant at) {
        return entries.stream().anyMatch(e -> e.fingerprint().equals(fingerprint) && e.allows(principal, at));
    }

    /** Whether any plain-key line lists the key with {@code fingerprint} (else a certificate was trusted). */
    boolean listsKey(String fingerprint) {
        return entries.stream().anyMatch(e -> e.fingerprint().equals(fingerprint));
    }

    /** The principal patterns the file lists for the key, for messages. */
    List<String> principalsOf(String fingerprint) {
        return entries.stream().filter(e -> e.fingerprint().equals(fingerprint)).flatMap(e -> e.principals().stream()).distinct().toList();
    }

    private static Entry entry(String line) {
        List<String> tokens = tokens(line);
        if (tokens.size() < 3) return null;
        List<String> principals = List.of(tokens.get(0).split(","));
        List<String> namespaces = null;
        Instant after = null;
        Instant before = null;
        int i = 1;
        for (; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.equals("cert-authority")) return null;
            if (lower.startsWith("namespaces=")) {
                namespaces = List.of(unquote(t.substring(11)).split(","));
            } else if (lower.startsWith("valid-after=")) {
                after = date(unquote(t.substring(12)));
            } else if (lower.startsWith("valid-before=")) {
                before = date(unquote(t.substring(13)));
            } else {
                break;
            }
        }
        if (i + 1 >= tokens.size() || !tokens.get(i).startsWith("ssh-") && !tokens.get(i).startsWith("ecdsa-")
                && !tokens.get(i).startsWith("sk-")) {
            return null;
        }
        try {
            byte[] blob = Base64.getDecoder().decode(tokens.get(i + 1));
            return new Entry(principals, namespaces == null ? null : namespaces.stream().map(String::strip).toList(), after, before,
                    fingerprint(blob));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whitespace-separated, a double-quoted part kept whole (options may quote their value). */
    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') quoted = !quoted;
            if (!quoted && Character.isWhitespace(c)) {
                if (cur.length() > 0) out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** {@code YYYYMMDD[HHMM[SS]][Z]}: UTC with Z, else the system's time zone, as ssh-keygen reads it. */
    private static Instant date(String s) {
        boolean utc = s.endsWith("Z") || s.endsWith("z");
        String d = utc ? s.substring(0, s.length() - 1) : s;
        try {
            LocalDateTime t;
            if (d.length() == 8) {
                t = LocalDate.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                        Integer.parseInt(d.substring(6, 8))).atStartOfDay();
            } else if (d.length() == 12 || d.length() == 14) {
                t = LocalDateTime.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                        Integer.parseInt(d.substring(6, 8)), Integer.parseInt(d.substring(8, 10)), Integer.parseInt(d.substring(10, 12)),
                        d.length() == 14 ? Integer.parseInt(d.substring(12, 14)) : 0);
            } else {
                return null;
            }
            return utc ? t.toInstant(ZoneOffset.UTC) : t.atZone(ZoneId.systemDefault()).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** OpenSSH's fingerprint of a public key blob: {@code SHA256:} and the unpadded base64 of its sha256. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * OpenSSH's pattern-list match ({@code match_pattern_list}): comma-separated patterns with {@code *} and
     * {@code ?}; a matching pattern prefixed by {@code !} refuses, whatever else matches. Case-sensitive, as for
     * principals.
     */
    static boolean matchesList(String name, List<String> patterns) {
        boolean matched = false;
        for (String p : patterns) {
            boolean negated = p.startsWith("!");
            String pattern = negated ? p.substring(1) : p;
            if (matches(pattern, name)) {
                if (negated) return false;
                matched = true;
            }
        }
        return matched;
    }

    private static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = -1;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starN = n;
            } else if (starP >= 0) {
                p = starP + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }
}
