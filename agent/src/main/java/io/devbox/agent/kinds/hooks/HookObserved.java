package io.devbox.agent.kinds.hooks;

/** What the probe of one hook resource saw. */
public sealed interface HookObserved {

    /**
     * @param hooksDir    the effective hooks directory (box path), null when the repository is gone
     * @param hookExists  a file with the hook's name is there
     * @param managed     it carries the agent's marker line
     * @param fingerprint of the agent's hook and its payload when managed, of the foreign hook otherwise
     * @param executable  the hook (and, when managed, its payload) are executable
     * @param legacy      a {@code <hook>.legacy} is there
     * @param payload     the text of the agent's payload when managed (null otherwise, or when over 64 KiB): the
     *                    "before" of the diff a plan shows
     */
    record HookState(String hooksDir, boolean hookExists, boolean managed, String fingerprint, boolean executable,
                     boolean legacy, String payload) implements HookObserved {
        public HookState(String hooksDir, boolean hookExists, boolean managed, String fingerprint, boolean executable, boolean legacy) {
            this(hooksDir, hookExists, managed, fingerprint, executable, legacy, null);
        }
    }

    /** @param value core.hooksPath in the developer's global git config, null when unset */
    record PathState(String value) implements HookObserved {
    }
}
