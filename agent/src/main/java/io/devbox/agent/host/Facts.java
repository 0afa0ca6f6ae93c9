package io.devbox.agent.host;

/**
 * What the agent knows of the box, gathered once per run.
 *
 * @param wsl     running inside WSL
 * @param systemd systemd is PID 1 ({@code <root>/run/systemd/system} exists)
 */
public record Facts(String hostname, String bootId, boolean wsl, boolean systemd, String user, String home,
                    boolean root) {
}
