package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.WslEnvironment;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * How each {@link PortOp} is made true for one rule: the Windows side through netsh (run as the WSL user's Windows
 * token), the Linux side through nftables and route_localnet; what the agent made is recorded in {@link OwnedRules}.
 */
final class PortRuleSteps implements PortOp.Steps {
    private final PortResource d;
    private final Host host;
    private final WslEnvironment wsl;
    private final OwnedRules owned;

    PortRuleSteps(PortResource d, Host host, WslEnvironment wsl) {
        this.d = d;
        this.host = host;
        this.wsl = wsl;
        this.owned = new OwnedRules(host.stateDir());
    }

    private WindowsPortProxy windows() {
        return new WindowsPortProxy(wsl.tools(), host);
    }

    private <T extends PortResource> T rule(Class<T> type, PortOp op) throws ResourceException {
        if (!type.isInstance(d)) throw new ResourceException("unexpected change " + op.field() + " for " + d.id());
        return type.cast(d);
    }

    @Override
    public void addProxy(PortOp.AddProxy op) throws ResourceException, IOException {
        PortProxyRule r = rule(PortProxyRule.class, op);
        String address = InterfaceAddress.of(host, r.iface());
        WindowsPortProxy windows = windows();
        String listen = r.listenAddress().toLowerCase(Locale.ROOT) + "/" + r.port();
        // applying it again changes nothing on Windows when the entry already points there (as allowFirewall does)
        if (!(address + "/" + r.targetPort()).equalsIgnoreCase(windows.entries().get(listen))) {
            windows.add(r.listenAddress(), r.port(), address, r.targetPort());
        }
        owned.addPortproxy(listen);
    }

    @Override
    public void deleteProxy(PortOp.DeleteProxy op) throws ResourceException, IOException {
        PortProxyRule r = rule(PortProxyRule.class, op);
        windows().delete(op.listenAddress(), r.port());
        owned.removePortproxy(op.listenAddress() + "/" + r.port());
    }

    @Override
    public void allowFirewall(PortOp.AllowFirewall op) throws ResourceException {
        PortProxyRule r = rule(PortProxyRule.class, op);
        WindowsPortProxy windows = windows();
        String name = PortProxyRule.firewallRuleName(r.port());
        int n = windows.firewallRules(name);
        if (n == 1) return;
        if (n > 1) windows.deleteFirewallRules(name);
        windows.addFirewallRule(name, r.port());
    }

    @Override
    public void deleteFirewall(PortOp.DeleteFirewall op) throws ResourceException {
        PortProxyRule r = rule(PortProxyRule.class, op);
        windows().deleteFirewallRules(PortProxyRule.firewallRuleName(r.port()));
    }

    @Override
    public void setDnat(PortOp.SetDnat op) throws ResourceException {
        LocalhostRule r = rule(LocalhostRule.class, op);
        LocalhostNat.replace(host, r.id(), op.to(), mine(r, LocalhostNat.list(host)));
    }

    @Override
    public void deleteDnat(PortOp.DeleteDnat op) throws ResourceException {
        LocalhostRule r = rule(LocalhostRule.class, op);
        List<LocalhostNat.Rule> rules = LocalhostNat.list(host);
        List<Long> mine = mine(r, rules);
        if (!mine.isEmpty()) LocalhostNat.delete(host, mine, mine.size() == rules.size());
    }

    @Override
    public void raiseRouteLocalnet(PortOp.RaiseRouteLocalnet op) throws ResourceException, IOException {
        LocalhostRule r = rule(LocalhostRule.class, op);
        if (r.iface() == null) throw new ResourceException("unexpected change " + op.field() + " for " + r.id());
        String now = LocalhostNat.routeLocalnet(host, r.iface());
        if (!now.equals(op.to())) {
            owned.raisedRouteLocalnet(r.iface(), now);
            LocalhostNat.setRouteLocalnet(host, r.iface(), op.to());
        }
    }

    @Override
    public void restoreRouteLocalnet(PortOp.RestoreRouteLocalnet op) throws ResourceException, IOException {
        LocalhostRule r = rule(LocalhostRule.class, op);
        if (r.iface() == null) throw new ResourceException("unexpected change " + op.field() + " for " + r.id());
        String now = LocalhostNat.routeLocalnet(host, r.iface());
        if (!now.equals(op.to())) LocalhostNat.setRouteLocalnet(host, r.iface(), op.to());
        owned.restoredRouteLocalnet(r.iface());
    }

    private static List<Long> mine(LocalhostRule r, List<LocalhostNat.Rule> rules) {
        return rules.stream().filter(x -> r.id().equals(x.comment())).map(LocalhostNat.Rule::handle).toList();
    }
}
