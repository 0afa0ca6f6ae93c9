package io.devbox.agent.engine;

/** Why a resource the agent applied is planned for removal. */
public enum Prune {
    /** The profiles no longer declare it for this box (a commit removed it, or its profile's selector changed). */
    PROFILES,
    /**
     * This box's hostname or labels changed since the last apply and the profiles declare it only for the box as it
     * was: most often a forgotten {@code --label}. Applied only with {@code --allow-prune}.
     */
    SELECTOR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
