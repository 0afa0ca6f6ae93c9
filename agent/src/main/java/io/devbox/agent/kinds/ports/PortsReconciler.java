package io.devbox.agent.kinds.ports;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kind {@code port} (spec key {@code ports}): Windows-to-WSL port rules. See {@link PortProxyRule} and
 * {@link LocalhostRule}.
 *
 * <p>Over 300 lines because its two mechanisms (a Windows portproxy with its firewall rule, and the localhost NAT
 * rule on Linux) come from one ports entry and are probed and applied side by side.
 */
public final class PortsReconciler implements Reconciler<PortResource, PortObserved> {
    static final String FIELD_PORTPROXY = "portproxy";
    static final String FIELD_FIREWALL = "firewall";
    static final String FIELD_DNAT = "dnat";
    static final String FIELD_ROUTE_LOCALNET = "route_localnet";
    private static final Pattern PROXY_ID = Pattern.compile("port\\[tcp/(\\d+)]");
    private static final Pattern LOCALHOST_ID = Pattern.compile("port\\[tcp/(\\d+):localhost]");
    private static final Pattern IIFNAME = Pattern.compile("iifname \"([^\"]+)\"");

    private final WslEnvironment wsl;
    private String networkingMode; // per run

    public PortsReconciler() {
        this(WslEnvironment.current());
    }

    public PortsReconciler(WslEnvironment wsl) {
        this.wsl = wsl;
    }

    @Override
    public String kind() {
        return PortsKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return PortsKind.DESCRIPTOR.specKey();
    }

    // ---------------------------------------------------------------- desired

    @Override
    public List<PortResource> desired(Node section, DesiredContext context) throws ProfileException {
        if (section == null || section instanceof Node.Scalar s && s.isNull()) return List.of();
        // the schema has checked every rule's fields (port numbers, tcp, an IPv4 listenAddress, an interface name,
        // booleans); what follows is what it cannot say: a port or a localhost target listed twice
        List<ProfileError> errors = new ArrayList<>();
        List<PortResource> out = new ArrayList<>();
        Map<Integer, Origin> seenPorts = new HashMap<>();
        Map<String, Origin> seenLocalTargets = new HashMap<>();
        for (Node item : ((Node.Sequence) section).items()) {
            Node.Mapping m = (Node.Mapping) item;
            int port = (int) SpecReader.integer(text(m, "port", null));
            int target = (int) SpecReader.integer(text(m, "targetPort", String.valueOf(port)));
            String listen = text(m, "listenAddress", "0.0.0.0");
            boolean firewall = Boolean.parseBoolean(text(m, "firewall", "true"));
            boolean localhostOnly = Boolean.parseBoolean(text(m, "localhostOnly", "false"));
            boolean onLinux = Boolean.parseBoolean(text(m, "localhostOnlyOnLinux", "false"));
            String iface = text(m, "interface", "eth0");
            int before = errors.size();
            Origin prev = seenPorts.putIfAbsent(port, m.origin());
            if (prev != null) errors.add(new ProfileError(m.origin(), "port " + port + " is already listed at " + prev.longForm()));
            if (localhostOnly) {
                Origin prevTarget = seenLocalTargets.putIfAbsent(iface + "/" + target, m.origin());
                if (prevTarget != null) {
                    errors.add(new ProfileError(m.origin(), "targetPort " + target + " on " + iface + " is already forwarded to localhost by the rule at " + prevTarget.longForm()));
                }
            }
            if (errors.size() != before) continue;
            out.add(new PortProxyRule(port, target, listen, firewall, iface, Presence.PRESENT, m.origin()));
            if (localhostOnly) out.add(new LocalhostRule(port, target, iface, Presence.PRESENT, m.origin(), onLinux));
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    private static String text(Node.Mapping m, String key, String dflt) {
        Node n = m.get(key);
        if (n instanceof Node.Scalar s && !s.isNull()) return s.text().strip();
        return dflt;
    }

    @Override
    public Optional<PortResource> removal(String resourceId, Map<String, String> lastApplied) {
        Matcher p = PROXY_ID.matcher(resourceId);
        if (p.matches()) return Optional.of(PortProxyRule.gone(Integer.parseInt(p.group(1)), Presence.absent(lastApplied)));
        Matcher l = LOCALHOST_ID.matcher(resourceId);
        if (l.matches()) {
            String iface = null;
            for (String v : lastApplied.values()) {
                Matcher i = v == null ? null : IIFNAME.matcher(v);
                if (i != null && i.find()) iface = i.group(1);
            }
            return Optional.of(LocalhostRule.gone(Integer.parseInt(l.group(1)), iface, Presence.absent(lastApplied)));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- probe

    @Override
    public PortObserved probe(PortResource desired, Host host) throws ResourceException {
        if (host.sandboxed()) {
            throw new ResourceSkipped("--root sandbox: port rules act on the real Windows side and network stack, which --root does not relocate");
        }
        if (desired instanceof PortProxyRule r) return probeProxy(r, host);
        return probeLocalhost((LocalhostRule) desired, host);
    }

    private PortObserved.Proxy probeProxy(PortProxyRule d, Host host) throws ResourceException {
        if (!wsl.isWsl(host)) throw new ResourceSkipped(WslEnvironment.NOT_WSL);
        if (networkingMode == null) {
            try {
                networkingMode = wsl.networkingMode(host);
            } catch (IOException e) {
                throw new ResourceException(e.getMessage());
            }
        }
        if (!networkingMode.equals("nat")) {
            throw new ResourceSkipped(switch (networkingMode) {
                case "mirrored" -> "mirrored networking needs no portproxy: Windows and the distro share their ports";
                case "none" -> "WSL networking mode is none: the distro has no network to forward to";
                default -> "WSL networking mode is " + networkingMode + ": portproxy rules apply to NAT mode only";
            });
        }
        String address = d.present() ? InterfaceAddress.of(host, d.iface()) : null;
        WindowsPortProxy windows = new WindowsPortProxy(wsl.tools(), host);
        Map<String, String> entries = new LinkedHashMap<>();
        String suffix = "/" + d.port();
        for (var e : windows.entries().entrySet()) {
            if (e.getKey().endsWith(suffix)) {
                String listen = e.getKey().substring(0, e.getKey().length() - suffix.length());
                entries.put(listen, e.getValue().replace('/', ':'));
            }
        }
        Set<String> owned = new HashSet<>();
        try {
            for (String k : new OwnedRules(host.stateDir()).read().portproxy()) {
                if (k.endsWith(suffix)) owned.add(k.substring(0, k.length() - suffix.length()));
            }
        } catch (IOException e) {
            throw new ResourceException(e.getMessage());
        }
        int firewallRules = windows.firewallRules(PortProxyRule.firewallRuleName(d.port()));
        return new PortObserved.Proxy(address, entries, owned, firewallRules);
    }

    static final String LOCALHOST_NOT_WSL = "not WSL: on a plain Linux box the interface faces the network, and localhostOnly "
            + "would expose a service bound to 127.0.0.1 on it; set localhostOnlyOnLinux: true in the port rule to want that here";

    private PortObserved.Localhost probeLocalhost(LocalhostRule d, Host host) throws ResourceException {
        if (d.present() && !d.onLinux() && !wsl.isWsl(host)) throw new ResourceSkipped(LOCALHOST_NOT_WSL);
        List<LocalhostNat.Rule> rules = LocalhostNat.list(host);
        List<String> mine = new ArrayList<>();
        boolean others = false;
        for (LocalhostNat.Rule r : rules) {
            if (d.id().equals(r.comment())) mine.add(r.body());
            else if (d.iface() != null && r.body().contains("iifname \"" + d.iface() + "\"")) others = true;
        }
        String routeLocalnet = null;
        String before = null;
        if (d.iface() != null) {
            try {
                before = new OwnedRules(host.stateDir()).read().routeLocalnet().get(d.iface());
            } catch (IOException e) {
                throw new ResourceException(e.getMessage());
            }
            if (d.present() || before != null) routeLocalnet = LocalhostNat.routeLocalnet(host, d.iface());
        }
        return new PortObserved.Localhost(mine, routeLocalnet, before, others);
    }

    // ---------------------------------------------------------------- diff (pure)

    @Override
    public List<Change> diff(PortResource desired, PortObserved observed) {
        if (desired instanceof PortProxyRule r) return diffProxy(r, (PortObserved.Proxy) observed);
        return diffLocalhost((LocalhostRule) desired, (PortObserved.Localhost) observed);
    }

    static List<Change> diffProxy(PortProxyRule d, PortObserved.Proxy o) {
        List<Change> out = new ArrayList<>();
        String listen = d.present() ? d.listenAddress().toLowerCase(Locale.ROOT) : null;
        if (d.present()) {
            String want = d.iface() + ":" + d.targetPort();
            String current = o.entries().get(listen);
            // in sync = pointing at the interface's current address; after a WSL restart the old address shows
            // through, which differs from the value applied last time: drift
            String have = current == null ? null : current.equals(o.ifaceAddress() + ":" + d.targetPort()) ? want : current;
            if (!want.equals(have)) out.add(Change.of(d.id(), d.origin(), new PortOp.AddProxy(have, d.iface(), d.targetPort())));
        }
        for (String mine : o.owned()) {
            if (!mine.equals(listen) && o.entries().containsKey(mine)) {
                out.add(Change.of(d.id(), d.origin(), new PortOp.DeleteProxy(mine, o.entries().get(mine))));
            }
        }
        String haveFw = switch (o.firewallRules()) {
            case 0 -> null;
            case 1 -> PortOp.AllowFirewall.rule(d.port());
            default -> o.firewallRules() + " rules named '" + PortProxyRule.firewallRuleName(d.port()) + "'";
        };
        if (d.present() && d.firewall()) {
            PortOp.AllowFirewall allow = new PortOp.AllowFirewall(haveFw, d.port());
            if (!allow.to().equals(haveFw)) out.add(Change.of(d.id(), d.origin(), allow));
        } else if (haveFw != null) {
            out.add(Change.of(d.id(), d.origin(), new PortOp.DeleteFirewall(haveFw)));
        }
        return out;
    }

    static List<Change> diffLocalhost(LocalhostRule d, PortObserved.Localhost o) {
        List<Change> out = new ArrayList<>();
        String have = switch (o.rules().size()) {
            case 0 -> null;
            case 1 -> o.rules().get(0);
            default -> o.rules().size() + " rules";
        };
        if (d.present() && !d.ruleBody().equals(have)) out.add(Change.of(d.id(), d.origin(), new PortOp.SetDnat(have, d.ruleBody())));
        if (!d.present() && have != null) out.add(Change.of(d.id(), d.origin(), new PortOp.DeleteDnat(have)));
        if (d.present()) {
            if (!"1".equals(o.routeLocalnet())) out.add(Change.of(d.id(), d.origin(), new PortOp.RaiseRouteLocalnet(o.routeLocalnet())));
        } else if (o.routeLocalnetBefore() != null && !o.otherRulesOnIface() && o.routeLocalnet() != null
                && !o.routeLocalnet().equals(o.routeLocalnetBefore())) {
            out.add(Change.of(d.id(), d.origin(), new PortOp.RestoreRouteLocalnet(o.routeLocalnet(), o.routeLocalnetBefore())));
        }
        return out;
    }

    // ---------------------------------------------------------------- apply

    @Override
    public void apply(PortResource desired, Change change, Host host) throws ResourceException {
        PortOp op = Operation.of(change, PortOp.class);
        try {
            op.applyWith(new PortRuleSteps(desired, host, wsl));
        } catch (IOException e) {
            throw new ResourceException("cannot record the rules the agent made: " + IoErrors.describe(e));
        }
    }
}
