package io.devbox.agent.kinds.hooks;

/** What the probe of one hook resource saw. */
public sealed interface HookObserved {

    /**
     * @param files    the hook's files in its effective hooks directory; null when the repository is gone
     * @param fallback the hook's files in {@code <git-common-dir>/hooks} when core.hooksPath points elsewhere (git does
     *                 not run them), null otherwise
     */
    record HookState(HookFiles files, HookFiles fallback) implements HookObserved {
        /** The agent's payload as text (null when there is none, or over 64 KiB): the "before" of a plan's diff. */
        public String payload() {
            return files == null || files.payload() == null ? null : files.payload().text();
        }

        public String hooksDir() {
            return files == null ? null : files.dir();
        }
    }

    /** @param value core.hooksPath in the developer's global git config, null when unset */
    record PathState(String value) implements HookObserved {
    }
}
