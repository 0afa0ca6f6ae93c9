package io.devbox.agent.kinds.hooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The files of a managed hook: {@code <hook>} is a small sh wrapper carrying the marker line; it runs a kept
 * {@code <hook>.legacy} first (its failure fails the hook, as with pre-commit's legacy mode), then
 * {@code <hook>.devbox-agent}, the profile's content as written.
 */
public final class HookScripts {
    /** The line that identifies a hook as the agent's. */
    public static final String MARKER = "# devbox-agent-managed-hook: v1";
    public static final String PAYLOAD_SUFFIX = ".devbox-agent";
    public static final String LEGACY_SUFFIX = ".legacy";

    /** githooks(5) of git 2.39+. */
    public static final Set<String> NAMES = Set.of(
            "applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
            "prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge", "pre-push",
            "pre-receive", "update", "proc-receive", "post-receive", "post-update", "reference-transaction",
            "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate", "fsmonitor-watchman",
            "p4-changelist", "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit", "post-index-change");

    /** Hooks that read stdin: chained hooks each get a copy. */
    private static final Set<String> READS_STDIN = Set.of(
            "pre-push", "pre-receive", "post-receive", "post-rewrite", "reference-transaction");

    private HookScripts() {
    }

    /**
     * The wrapper for hook {@code name}. In the global hooks directory ({@code global}) it also runs the
     * repository's own {@code .git/hooks/<name>}, which core.hooksPath would otherwise silence.
     */
    public static String wrapper(String name, boolean global) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n")
                .append(MARKER).append("\n")
                .append("# Written by devbox-agent from the team's profiles. Local edits are reported as drift and undone by\n")
                .append("# the next apply; a hook that was here before is kept as ").append(name).append(LEGACY_SUFFIX).append(" and runs first.\n")
                .append("hookdir=$(dirname -- \"$0\")\n");
        if (READS_STDIN.contains(name)) {
            s.append("input=$(mktemp) || exit 1\n")
                    .append("trap 'rm -f \"$input\"' EXIT\n")
                    .append("cat >\"$input\"\n")
                    .append("run() { \"$@\" <\"$input\"; }\n");
        } else {
            s.append("run() { \"$@\"; }\n");
        }
        if (global) {
            s.append("repohook=\"$(git rev-parse --git-common-dir 2>/dev/null)/hooks/").append(name).append("\"\n")
                    .append("if [ -x \"$repohook\" ]; then run \"$repohook\" \"$@\" || exit $?; fi\n");
        }
        s.append("if [ -x \"$hookdir/").append(name).append(LEGACY_SUFFIX).append("\" ]; then\n")
                .append("  run \"$hookdir/").append(name).append(LEGACY_SUFFIX).append("\" \"$@\" || exit $?\n")
                .append("fi\n")
                .append("run \"$hookdir/").append(name).append(PAYLOAD_SUFFIX).append("\" \"$@\"\n");
        return s.toString();
    }

    public static boolean isManaged(byte[] hook) {
        String text = new String(hook, 0, Math.min(hook.length, 4096), StandardCharsets.UTF_8);
        return text.lines().anyMatch(l -> l.equals(MARKER));
    }

    /** A stable fingerprint of the hook (and its payload) for plans and drift: {@code sha256 0123456789ab}. */
    public static String fingerprint(byte[] hook, byte[] payload) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(hook);
            if (payload != null) {
                md.update((byte) 0);
                md.update(payload);
            }
            return "sha256 " + HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String expectedFingerprint(String name, boolean global, String content) {
        return fingerprint(wrapper(name, global).getBytes(StandardCharsets.UTF_8), content.getBytes(StandardCharsets.UTF_8));
    }
}
