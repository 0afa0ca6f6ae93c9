package io.devbox.agent.kinds.hooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The files of a managed hook {@code <hook>} in a hooks directory, all under names no other tool uses:
 * <ul>
 * <li>the wrapper, a small POSIX sh script carrying the marker line: at {@code <hook>}, or at {@code <hook>.legacy}
 * when the pre-commit framework's script holds {@code <hook>} (pre-commit runs {@code .legacy} first);</li>
 * <li>{@code <hook>.devbox-agent}: the profile's hook as written;</li>
 * <li>{@code <hook>.devbox-agent-kept}: a developer's hook the agent moved out of the wrapper's way, run first;</li>
 * <li>{@code <hook>.devbox-agent-manager}: the script of a hook manager (lefthook, husky) the agent moved out of the
 * wrapper's way, run last.</li>
 * </ul>
 * A commit therefore runs the developer's kept hook, then the agent's, then the manager's hooks, each once.
 */
public final class HookScripts {
    /** The line that identifies a hook as the agent's. */
    public static final String MARKER = "# devbox-agent-managed-hook: v2";
    /** The marker of the wrappers written before the recursion guard: recognised, migrated, never written. */
    static final String MARKER_V1 = "# devbox-agent-managed-hook: v1";
    public static final String PAYLOAD_SUFFIX = ".devbox-agent";
    public static final String KEPT_SUFFIX = ".devbox-agent-kept";
    public static final String MANAGER_SUFFIX = ".devbox-agent-manager";
    /** The pre-commit framework's name for a hook it keeps and runs first ("migration mode"). */
    public static final String LEGACY_SUFFIX = ".legacy";
    /** lefthook's name for a hook it moved away (and does not run). */
    public static final String OLD_SUFFIX = ".old";
    /**
     * The environment variable the wrapper sets before chaining: the hooks (directory and name) already running in this
     * git command, one per line. A wrapper that finds itself there exits at once, so no arrangement of files by anyone
     * can make a commit recurse.
     */
    public static final String GUARD_ENV = "DEVBOX_AGENT_HOOKS";

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

    /** Where the wrapper sits. */
    public enum Position {
        /** {@code <hook>}: git runs it. */
        HOOK,
        /** {@code <hook>.legacy}: the pre-commit framework's script runs it before its own hooks. */
        PRE_COMMIT_LEGACY;

        String fileName(String hook) {
            return this == HOOK ? hook : hook + LEGACY_SUFFIX;
        }
    }

    private HookScripts() {
    }

    /**
     * The wrapper for hook {@code name} at {@code position}. In the global hooks directory ({@code global}) it also runs
     * the repository's own {@code .git/hooks/<name>}, which core.hooksPath would otherwise silence.
     */
    public static String wrapper(String name, boolean global, Position position) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n")
                .append(MARKER).append("\n")
                .append("# The team's ").append(name).append(" hook, written by devbox-agent from its profiles: local edits are reported as\n")
                .append("# drift and undone by the next apply. It runs ").append(name).append(KEPT_SUFFIX).append(" (a hook that was here\n")
                .append("# before), then ").append(name).append(PAYLOAD_SUFFIX).append(" (the profile's hook), then ")
                .append(name).append(MANAGER_SUFFIX).append(" (a hook\n")
                .append("# manager's script, e.g. lefthook's or husky's), each at most once per git command.\n");
        if (position == Position.PRE_COMMIT_LEGACY) {
            s.append("# pre-commit's script (").append(name).append(") runs this file as ").append(name).append(LEGACY_SUFFIX)
                    .append(" before its own hooks (its \"migration mode\").\n");
        } else {
            // lefthook replaces a hook naming it instead of moving it to <hook>.old, where a second move would fail
            s.append("# LEFTHOOK: `lefthook install` replaces this file with its own script; devbox-agent then runs that script from here.\n");
        }
        // CDPATH would make cd print the directory; git may give $0 relative (.git/hooks/pre-commit)
        s.append("hookdir=$(CDPATH='' cd -P -- \"$(dirname -- \"$0\")\" && pwd -P) || exit 1\n")
                .append("guard=\"$hookdir/").append(name).append("\"\n")
                .append("nl='\n'\n")
                .append("case \"$nl${").append(GUARD_ENV).append("-}$nl\" in\n")
                .append("*\"$nl$guard$nl\"*)\n")
                .append("  echo \"devbox-agent: $guard already runs in this git command; not running it again\" >&2\n")
                .append("  exit 0 ;;\n")
                .append("esac\n")
                .append(GUARD_ENV).append("=\"${").append(GUARD_ENV).append("-}$nl$guard\"\n")
                .append("export ").append(GUARD_ENV).append("\n");
        if (READS_STDIN.contains(name)) {
            s.append("input=$(mktemp) || exit 1\n")
                    .append("trap 'rm -f \"$input\"' EXIT\n")
                    .append("trap 'exit 129' HUP\n")
                    .append("trap 'exit 130' INT\n")
                    .append("trap 'exit 143' TERM\n")
                    .append("cat >\"$input\"\n")
                    .append("run() { \"$@\" <\"$input\"; }\n");
        } else {
            s.append("run() { \"$@\"; }\n");
        }
        if (global) {
            s.append("repohook=\"$(git rev-parse --git-common-dir 2>/dev/null)/hooks/").append(name).append("\"\n")
                    .append("if [ -x \"$repohook\" ]; then run \"$repohook\" \"$@\" || exit $?; fi\n");
        }
        s.append("if [ -x \"$hookdir/").append(name).append(KEPT_SUFFIX).append("\" ]; then\n")
                .append("  run \"$hookdir/").append(name).append(KEPT_SUFFIX).append("\" \"$@\" || exit $?\n")
                .append("fi\n")
                .append("run \"$hookdir/").append(name).append(PAYLOAD_SUFFIX).append("\" \"$@\" || exit $?\n")
                .append("if [ -f \"$hookdir/").append(name).append(MANAGER_SUFFIX).append("\" ]; then\n")
                .append("  # sourced with $0 as git would give it: husky's wrapper sources $(dirname \"$0\")/h, which runs .husky/$(basename \"$0\")\n")
                .append("  # shellcheck disable=SC2016\n")
                .append("  run sh -c 'script=$1; shift; . \"$script\"' \"$guard\" \"$hookdir/").append(name).append(MANAGER_SUFFIX).append("\" \"$@\" || exit $?\n")
                .append("fi\n")
                .append("exit 0\n");
        return s.toString();
    }

    /** The agent's wrapper (any version). */
    public static boolean isManaged(byte[] hook) {
        return markerLine(hook, MARKER) || markerLine(hook, MARKER_V1);
    }

    /** The agent's wrapper of the current version. */
    static boolean isCurrent(byte[] hook) {
        return markerLine(hook, MARKER);
    }

    private static boolean markerLine(byte[] hook, String marker) {
        String text = new String(hook, 0, Math.min(hook.length, 4096), StandardCharsets.UTF_8);
        return text.lines().anyMatch(l -> l.equals(marker));
    }

    /** The full sha256 (hex) of some bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fingerprint plans show for a wrapper and payload (their sha256s, as {@link #sha256} gives them):
     * {@code sha256 0123456789ab}.
     */
    static String fingerprint(String wrapperSha, String payloadSha) {
        return "sha256 " + sha256((wrapperSha + "\0" + (payloadSha == null ? "" : payloadSha)).getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** The fingerprint of one foreign file: {@code sha256 0123456789ab}. */
    static String fingerprint(String sha) {
        return "sha256 " + sha.substring(0, 12);
    }

    /** The fingerprint of the wrapper at {@code position} with {@code content} as its payload. */
    public static String expectedFingerprint(String name, boolean global, Position position, String content) {
        return fingerprint(sha256(wrapper(name, global, position).getBytes(StandardCharsets.UTF_8)),
                sha256(content.getBytes(StandardCharsets.UTF_8)));
    }
}
