package io.devbox.agent.kinds.ports;

import io.devbox.agent.profile.Origin;

import java.util.List;

/**
 * Linux side of {@code localhostOnly: true}: traffic arriving on {@code iface} at {@code targetPort} is DNATed to
 * 127.0.0.1:targetPort (nftables table {@code ip devbox_agent}), with {@code route_localnet} on for that interface.
 *
 * @param onLinux the profile wants the rule on a box that is not WSL too ({@code localhostOnlyOnLinux: true}); else
 *                there it is skipped: on a plain Linux box eth0 faces the network, not a Windows host
 */
public record LocalhostRule(int port, int targetPort, String iface, boolean present, Origin origin, boolean onLinux)
        implements PortResource {
    public static final String SUFFIX = ":localhost";

    public LocalhostRule(int port, int targetPort, String iface, boolean present, Origin origin) {
        this(port, targetPort, iface, present, origin, false);
    }

    public static String idOf(int port) {
        return "port[tcp/" + port + SUFFIX + "]";
    }

    /** The "gone" form; {@code iface} (may be null when unknown) is where route_localnet may need restoring. */
    public static LocalhostRule gone(int port, String iface) {
        return new LocalhostRule(port, port, iface, false, null);
    }

    @Override
    public String id() {
        return idOf(port);
    }

    /** The rule as {@code nft list} prints it, without the comment. */
    public String ruleBody() {
        return "iifname \"" + iface + "\" tcp dport " + targetPort + " dnat to 127.0.0.1:" + targetPort;
    }

    @Override
    public List<String> warnings() {
        return present
                ? List.of("exposes 127.0.0.1:" + targetPort + " to traffic arriving on " + iface + " (route_localnet=1 on " + iface + ")")
                : List.of();
    }
}
