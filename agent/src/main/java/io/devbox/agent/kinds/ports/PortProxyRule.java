package io.devbox.agent.kinds.ports;

import io.devbox.agent.profile.Origin;

/**
 * A Windows {@code netsh interface portproxy} v4tov4 rule from {@code listenAddress:port} to the distro's IPv4
 * address on {@code iface} and {@code targetPort}, plus (with {@code firewall}) an inbound allow rule
 * {@code devbox-agent tcp/PORT}.
 */
public record PortProxyRule(int port, int targetPort, String listenAddress, boolean firewall, String iface,
                            io.devbox.agent.engine.Presence presence, Origin origin) implements PortResource {

    public static String idOf(int port) {
        return "port[tcp/" + port + "]";
    }

    public static PortProxyRule gone(int port, io.devbox.agent.engine.Presence.Absent absent) {
        return new PortProxyRule(port, port, null, false, null, absent, null);
    }

    @Override
    public String id() {
        return idOf(port);
    }

    public String firewallRuleName() {
        return firewallRuleName(port);
    }

    public static String firewallRuleName(int port) {
        return "devbox-agent tcp/" + port;
    }
}
