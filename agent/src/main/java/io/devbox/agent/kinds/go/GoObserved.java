package io.devbox.agent.kinds.go;

/** What the probe of one go resource saw. Records: their toString is the plan's fingerprint input. */
public sealed interface GoObserved {

    /**
     * A version directory.
     *
     * @param exists  the directory exists
     * @param marker  it carries the agent's completion marker
     * @param problem why it does not count as installed although it exists (null when it does)
     */
    record VersionState(boolean exists, boolean marker, String problem) implements GoObserved {
    }

    /**
     * @param current box path the {@code current} symlink resolves to, "(not a symlink)", or null when absent
     * @param script  fingerprint of /etc/profile.d/devbox-go.sh, or null when absent
     * @param scriptText that file's text (the "before" of the diff a plan shows), or null when absent
     */
    record DefaultState(String current, String script, String scriptText) implements GoObserved {
        public DefaultState(String current, String script) {
            this(current, script, null);
        }
    }

    /** @param value the key's value in the env file, or null when absent */
    record EnvState(String value) implements GoObserved {
    }
}
