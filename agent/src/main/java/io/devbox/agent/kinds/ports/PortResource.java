package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.DesiredResource;

/**
 * The two resources one {@code ports} entry can make: the Windows-side rule ({@code port[tcp/8080]}) and, with
 * {@code localhostOnly}, the Linux-side DNAT to 127.0.0.1 ({@code port[tcp/8080:localhost]}). They are separate
 * so that one can be {@code skipped} (no Windows side here) while the other still converges.
 */
public sealed interface PortResource extends DesiredResource permits PortProxyRule, LocalhostRule {
    int port();

    /** False for the {@link io.devbox.agent.engine.Presence.Absent absent} form of a rule the agent made before. */
    default boolean present() {
        return presence().isPresent();
    }
}
