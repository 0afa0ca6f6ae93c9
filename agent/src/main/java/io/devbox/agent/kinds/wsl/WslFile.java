package io.devbox.agent.kinds.wsl;

/** The two WSL settings files: the distro's /etc/wsl.conf and the Windows user's .wslconfig. */
public enum WslFile {
    CONF("wsl.conf", "conf"), WSLCONFIG("wslconfig", "wslconfig");

    private final String idPrefix;
    private final String profileKey;

    WslFile(String idPrefix, String profileKey) {
        this.idPrefix = idPrefix;
        this.profileKey = profileKey;
    }

    /** e.g. {@code wsl.conf} in {@code wsl.conf[boot.systemd]} */
    public String idPrefix() {
        return idPrefix;
    }

    /** The key under {@code spec.wsl}: {@code conf} or {@code wslconfig}. */
    public String profileKey() {
        return profileKey;
    }
}
