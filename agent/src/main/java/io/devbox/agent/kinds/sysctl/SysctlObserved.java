package io.devbox.agent.kinds.sysctl;

/**
 * What the box has for one key.
 *
 * @param runtime   the running value, normalized; null when not read (the key is no longer managed)
 * @param persisted the value in the agent's managed sysctl.d file, or null
 */
public record SysctlObserved(String runtime, String persisted) {
    /** As a record prints itself (plan fingerprints hash it), built without the record's format-based toString. */
    @Override
    public String toString() {
        return "SysctlObserved[runtime=" + runtime + ", persisted=" + persisted + "]";
    }
}
