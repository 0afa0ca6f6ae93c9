package io.devbox.agent.kinds.hooks;

import io.devbox.agent.kinds.hooks.HookFiles.Slot;
import io.devbox.agent.kinds.hooks.HookScripts.Position;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the files of one hook go, decided from what is in the hooks directory (pure: {@link HooksReconciler} reads
 * and executes). The converged states, per hook manager found at {@code <hook>}:
 * <ul>
 * <li>the pre-commit framework's script: it stays; the agent's wrapper is {@code <hook>.legacy}, which pre-commit runs
 * before its own hooks; a hook that was at {@code .legacy} is kept as {@code <hook>.devbox-agent-kept};</li>
 * <li>lefthook's or husky's script: it moves to {@code <hook>.devbox-agent-manager}, which the agent's wrapper at
 * {@code <hook>} runs last;</li>
 * <li>anything else (the developer's hook, a link): it moves to {@code <hook>.devbox-agent-kept}, run first.</li>
 * </ul>
 * Removal puts every file back where the developer or the manager would have it without the agent.
 */
final class HookLayout {

    /** One file operation in the hooks directory, by file name. */
    sealed interface Step {
        /** Renames {@code from} to {@code to} (which is free); a copy of {@code from} goes to the state dir first. */
        record Move(String from, String to) implements Step {
        }

        /** Deletes {@code file}; {@code foreign}: one the agent did not write, copied to the state dir first. */
        record Delete(String file, boolean foreign) implements Step {
        }

        /** Writes {@code content} to {@code file}, executable. */
        record Write(String file, byte[] content) implements Step {
        }
    }

    /** Two hooks the agent did not write want the same place; nothing is changed. */
    static final class Conflict extends Exception {
        Conflict(String message) {
            super(message);
        }
    }

    private HookLayout() {
    }

    /** Where the agent's wrapper belongs: at {@code .legacy} when pre-commit's script holds the hook. */
    static Position target(HookFiles f) {
        if (f.hook() != null && f.hook().is(HookOwner.PRE_COMMIT)) return Position.PRE_COMMIT_LEGACY;
        if (f.hook() != null && f.hook().agent() && f.legacy() != null && f.legacy().is(HookOwner.PRE_COMMIT)) {
            return Position.PRE_COMMIT_LEGACY;
        }
        return Position.HOOK;
    }

    static String expected(HookFiles f, boolean global, String content) {
        return HookScripts.expectedFingerprint(f.name(), global, target(f), content);
    }

    /**
     * The hook as plans show it: the fingerprint of the wrapper and payload when they are where they belong (equal to
     * {@link #expected} exactly when they are as written), otherwise why not; null when there is no hook at all.
     */
    static String observed(HookFiles f, boolean global) {
        String n = f.name();
        Position pos = target(f);
        List<String> why = new ArrayList<>();
        Slot h = f.hook();
        Slot l = f.legacy();
        if (h == null) {
            if (f.payload() == null && (l == null || !l.agent())) return null;
            why.add(l != null && l.agent() && pos == Position.HOOK
                    ? "pre-commit's script is gone; the agent's hook at " + n + ".legacy no longer runs"
                    : "the agent's hook is missing");
        } else if (h.is(HookOwner.PRE_COMMIT)) {
            if (l == null) {
                why.add(f.payload() != null ? n + ".legacy removed by pre-commit install -f"
                        : "pre-commit's script: the agent's hook goes to " + n + ".legacy");
            } else if (!l.agent()) {
                why.add(n + ".legacy (" + l.shown() + ") to be kept; pre-commit's script is to run the agent's hook as "
                        + n + ".legacy and it as " + n + HookScripts.KEPT_SUFFIX);
            } else if (l.is(HookOwner.AGENT_V1)) {
                why.add("an earlier devbox-agent's hook (no recursion guard) at " + n + ".legacy");
            } else if (l.sha().equals(wrapperSha(n, global, Position.HOOK))) {
                why.add("moved to " + n + ".legacy by pre-commit install");
            }
        } else if (h.is(HookOwner.LEFTHOOK) || h.is(HookOwner.HUSKY)) {
            String who = h.owner().who();
            why.add(f.payload() != null ? "replaced by " + (h.is(HookOwner.LEFTHOOK) ? "lefthook install" : "husky") + " with " + who + "'s script"
                    : who + "'s script (" + h.shown() + ") to run last, as " + n + HookScripts.MANAGER_SUFFIX);
        } else if (!h.agent()) {
            why.add("foreign hook (" + h.shown() + ") to be kept as " + n + HookScripts.KEPT_SUFFIX);
        } else {
            if (h.is(HookOwner.AGENT_V1)) why.add("an earlier devbox-agent's hook (no recursion guard)");
            if (l != null && l.is(HookOwner.PRE_COMMIT)) {
                why.add("pre-commit's script at " + n + ".legacy runs itself: back to " + n
                        + ", the agent's hook to run as " + n + ".legacy");
            } else if (l != null && !l.agent() && h.is(HookOwner.AGENT_V1)) {
                why.add("the hook an earlier devbox-agent kept as " + n + ".legacy, to be kept as " + n + HookScripts.KEPT_SUFFIX);
            } else if (l != null && l.agent()) {
                why.add("a second copy of the agent's hook at " + n + ".legacy");
            }
            if (pos == Position.HOOK && h.sha() != null && h.sha().equals(wrapperSha(n, global, Position.PRE_COMMIT_LEGACY))) {
                why.add("moved back to " + n + " by pre-commit uninstall");
            }
        }
        try {
            install(f, global, "");
        } catch (Conflict c) {
            why.add(c.getMessage());
        }
        if (!why.isEmpty()) return String.join("; ", why);
        Slot w = pos == Position.HOOK ? h : l;
        String fp = HookScripts.fingerprint(w.sha(), f.payload() == null ? null : f.payload().sha());
        boolean exec = w.executable() && f.payload() != null && f.payload().executable();
        return exec ? fp : fp + ", not executable";
    }

    private static String wrapperSha(String name, boolean global, Position position) {
        return HookScripts.sha256(HookScripts.wrapper(name, global, position).getBytes(StandardCharsets.UTF_8));
    }

    /** What makes {@code f} the converged state with {@code content} as the agent's hook. */
    static List<Step> install(HookFiles f, boolean global, String content) throws Conflict {
        String n = f.name();
        String legacy = n + HookScripts.LEGACY_SUFFIX;
        Position pos = target(f);
        List<Step> steps = new ArrayList<>();
        Slot h = f.hook();
        Slot l = f.legacy();
        if (h != null && h.agent() && l != null && l.is(HookOwner.PRE_COMMIT)) {
            // an earlier agent moved pre-commit's script to .legacy: it goes back, .legacy is free for the wrapper
            steps.add(new Step.Delete(n, false));
            steps.add(new Step.Move(legacy, n));
            l = null;
        }
        if (pos == Position.PRE_COMMIT_LEGACY) {
            if (l != null && !l.agent()) keep(f, l, legacy, steps);
        } else {
            if (h != null && (h.is(HookOwner.LEFTHOOK) || h.is(HookOwner.HUSKY))) {
                // a copy the agent moved earlier, before the manager installed itself again: the new script replaces it
                if (f.manager() != null) steps.add(new Step.Delete(n + HookScripts.MANAGER_SUFFIX, true));
                steps.add(new Step.Move(n, n + HookScripts.MANAGER_SUFFIX));
            } else if (h != null && !h.agent()) {
                keep(f, h, n, steps);
            } else if (h != null && h.is(HookOwner.AGENT_V1) && l != null && !l.agent()) {
                keep(f, l, legacy, steps); // the hook an earlier agent kept as .legacy
            }
            if (l != null && l.agent()) steps.add(new Step.Delete(legacy, false));
        }
        steps.add(new Step.Write(n + HookScripts.PAYLOAD_SUFFIX, content.getBytes(StandardCharsets.UTF_8)));
        steps.add(new Step.Write(pos.fileName(n), HookScripts.wrapper(n, global, pos).getBytes(StandardCharsets.UTF_8)));
        return steps;
    }

    /** Moves a hook the agent did not write to {@code <hook>.devbox-agent-kept}; one already kept there must be the same. */
    private static void keep(HookFiles f, Slot slot, String from, List<Step> steps) throws Conflict {
        String kept = f.name() + HookScripts.KEPT_SUFFIX;
        if (f.kept() == null) {
            steps.add(new Step.Move(from, kept));
        } else if (slot.sha() != null && slot.sha().equals(f.kept().sha())) {
            steps.add(new Step.Delete(from, true));
        } else {
            throw new Conflict(from + " (" + slot.shown() + ") and " + kept + " (" + f.kept().shown()
                    + ") are both hooks devbox-agent did not write: merge them into " + kept + " by hand and remove " + from);
        }
    }

    /**
     * What removes the agent's hook from {@code f} and puts back what it kept, where the developer or the manager would
     * have it without the agent: empty when nothing of the agent's is there.
     */
    static List<Step> remove(HookFiles f) {
        if (!f.agentTouched()) return List.of();
        String n = f.name();
        String legacy = n + HookScripts.LEGACY_SUFFIX;
        String kept = n + HookScripts.KEPT_SUFFIX;
        String manager = n + HookScripts.MANAGER_SUFFIX;
        String old = n + HookScripts.OLD_SUFFIX;
        List<Step> steps = new ArrayList<>();
        Slot h = f.hook();
        Slot l = f.legacy();
        boolean v1 = h != null && h.is(HookOwner.AGENT_V1);
        if (h != null && h.agent()) {
            steps.add(new Step.Delete(n, false));
            h = null;
        }
        if (l != null && l.agent()) {
            steps.add(new Step.Delete(legacy, false));
            l = null;
        }
        if (f.payload() != null) steps.add(new Step.Delete(n + HookScripts.PAYLOAD_SUFFIX, false));
        Slot k = f.kept();
        Slot m = f.manager();
        boolean oldFree = !f.old();
        if (h != null && h.is(HookOwner.PRE_COMMIT)) {
            // pre-commit keeps the hook it found as .legacy and runs it first: what the agent kept goes there
            if (m != null && l == null) {
                steps.add(new Step.Move(manager, legacy));
                l = m;
                m = null;
            }
            if (k != null && l == null) steps.add(new Step.Move(kept, legacy));
            else if (k != null && oldFree) steps.add(new Step.Move(kept, old));
        } else if (h == null) {
            if (m != null) {
                steps.add(new Step.Move(manager, n));
                // a manager installed over a developer's hook keeps it as .old (lefthook's name)
                if (k != null && oldFree) steps.add(new Step.Move(kept, old));
            } else if (k != null) {
                steps.add(new Step.Move(kept, n));
            } else if (v1 && l != null) {
                steps.add(new Step.Move(legacy, n)); // an earlier agent kept the hook as .legacy
            }
        } else if (h.is(HookOwner.LEFTHOOK) || h.is(HookOwner.HUSKY)) {
            // the manager replaced the agent's wrapper: its script is back already; the agent's copy goes
            if (m != null) steps.add(new Step.Delete(manager, true));
            if (k != null && oldFree) steps.add(new Step.Move(kept, old));
        }
        return steps;
    }
}
