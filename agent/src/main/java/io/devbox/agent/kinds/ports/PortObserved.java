package io.devbox.agent.kinds.ports;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a probe saw; records, so that {@code toString} is a stable fingerprint input. */
public sealed interface PortObserved {

    /**
     * @param ifaceAddress   the distro's IPv4 address on the rule's interface (null for a removal)
     * @param entries        portproxy v4tov4 entries for this port: listen address (lower case) to "connectaddr:port"
     * @param owned          listen addresses of this port whose entry the agent made
     * @param firewallRules  how many firewall rules carry the agent's name for this port
     */
    record Proxy(String ifaceAddress, Map<String, String> entries, Set<String> owned, int firewallRules)
            implements PortObserved {
        public Proxy {
            entries = new java.util.TreeMap<>(entries);
            owned = new java.util.TreeSet<>(owned);
        }
    }

    /**
     * @param rules           bodies of the DNAT rules commented with this resource's id (normally zero or one)
     * @param routeLocalnet   the interface's route_localnet value (null when not read: removal of an unknown interface)
     * @param routeLocalnetBefore the value before the agent switched route_localnet on (null: the agent did not)
     * @param otherRulesOnIface other rules in the agent's table still use this interface
     */
    record Localhost(List<String> rules, String routeLocalnet, String routeLocalnetBefore, boolean otherRulesOnIface)
            implements PortObserved {
        public Localhost {
            rules = List.copyOf(rules);
        }
    }
}
