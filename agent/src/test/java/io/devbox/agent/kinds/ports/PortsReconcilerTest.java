package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.testing.TestYaml;
import io.devbox.agent.kinds.testing.WindowsStandIns;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Windows side through stand-ins of netsh.exe / reg.exe / wslinfo (Windows cannot run here), the Linux side
 * for real: the WSL address is read with the real {@code ip} from the loopback interface (read-only).
 */
class PortsReconcilerTest {
    static final DesiredContext CTX = new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"),
            new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE));

    @TempDir
    Path tmp;
    WindowsStandIns win;
    Host host;

    @BeforeEach
    void setUp() throws Exception {
        win = WindowsStandIns.install(tmp.resolve("win"));
        host = host(true);
    }

    Host host(boolean wslFact) {
        return new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), tmp.resolve("state"),
                new Facts("dev-1", "boot-1", wslFact, false, "dev", "/home/dev", true), new Commands());
    }

    PortsReconciler reconciler() {
        return new PortsReconciler(new WslEnvironment(win.wslEnv()));
    }

    List<PortResource> desired(String yaml) throws ProfileException {
        return reconciler().desired(TestYaml.parse("profiles/base.yaml", yaml), CTX);
    }

    PortProxyRule rule8080() throws ProfileException {
        return (PortProxyRule) desired("- {port: 8080, interface: lo}").get(0);
    }

    List<Change> plan(PortsReconciler r, PortResource d) throws ResourceException {
        return r.diff(d, r.probe(d, host));
    }

    void applyAll(PortsReconciler r, PortResource d) throws ResourceException {
        for (Change c : plan(r, d)) r.apply(d, c, host);
    }

    @Test
    void addsPortproxyAndFirewallRuleThenPlansNothing() throws Exception {
        PortsReconciler r = reconciler();
        PortProxyRule d = rule8080();
        assertThat(d.id()).isEqualTo("port[tcp/8080]");
        List<Change> changes = plan(r, d);
        assertThat(changes).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("portproxy", null, "lo:8080"),
                org.assertj.core.groups.Tuple.tuple("firewall", null, "allow in tcp/8080"));
        assertThat(changes).allMatch(c -> c.layer() == Layer.PERSISTED && c.origin().line() == 1);

        for (Change c : changes) r.apply(d, c, host);

        assertThat(win.read("v4tov4")).isEqualTo("0.0.0.0/8080 127.0.0.1/8080\n");
        assertThat(win.read("firewall")).isEqualTo("devbox-agent tcp/8080|In|Allow|TCP|8080\n");
        assertThat(Files.readString(tmp.resolve("state/ports/owned.json"))).contains("0.0.0.0/8080");
        assertThat(plan(reconciler(), d)).isEmpty();
    }

    @Test
    void applyingTwiceChangesNothingMoreAndNeverDuplicatesTheFirewallRule() throws Exception {
        PortsReconciler r = reconciler();
        PortProxyRule d = rule8080();
        List<Change> changes = plan(r, d);
        for (Change c : changes) r.apply(d, c, host);
        String registry = win.read("v4tov4");
        for (Change c : changes) r.apply(d, c, host); // the same plan again
        assertThat(win.read("v4tov4")).isEqualTo(registry);
        assertThat(win.read("firewall").lines()).hasSize(1);
        assertThat(plan(r, d)).isEmpty();
    }

    @Test
    void duplicatedFirewallRulesAreCollapsedToOne() throws Exception {
        win.write("firewall", "devbox-agent tcp/8080|In|Allow|TCP|8080\ndevbox-agent tcp/8080|In|Allow|TCP|8080\nsomeone else|In|Allow|TCP|22\n");
        PortsReconciler r = reconciler();
        PortProxyRule d = rule8080();
        Change fw = plan(r, d).stream().filter(c -> c.field().equals("firewall")).findFirst().orElseThrow();
        assertThat(fw.from()).isEqualTo("2 rules named 'devbox-agent tcp/8080'");
        applyAll(r, d);
        assertThat(win.read("firewall").lines()).containsExactly("someone else|In|Allow|TCP|22", "devbox-agent tcp/8080|In|Allow|TCP|8080");
    }

    @Test
    void notElevatedIsAnErrorWithTheExactCommandNeverASuccess() throws Exception {
        win.write("not-elevated", "");
        PortsReconciler r = reconciler();
        PortProxyRule d = rule8080();
        List<Change> changes = plan(r, d);
        assertThatThrownBy(() -> r.apply(d, changes.get(0), host))
                .isInstanceOf(ResourceException.class)
                .hasMessageContaining("not elevated")
                .hasMessageContaining("The requested operation requires elevation (Run as administrator).")
                .hasMessageContaining("Run this in an elevated Windows shell")
                .hasMessageEndingWith("\n    netsh interface portproxy add v4tov4 listenport=8080 listenaddress=0.0.0.0"
                        + " connectport=8080 connectaddress=127.0.0.1 protocol=tcp");
        assertThatThrownBy(() -> r.apply(d, changes.get(1), host))
                .isInstanceOf(ResourceException.class)
                .hasMessageEndingWith("\n    netsh advfirewall firewall add rule name=\"devbox-agent tcp/8080\" dir=in"
                        + " action=allow protocol=TCP localport=8080");
        // nothing happened and nothing is claimed: the plan is unchanged, nothing recorded as the agent's
        assertThat(plan(reconciler(), d)).isEqualTo(changes);
        assertThat(tmp.resolve("state/ports/owned.json")).doesNotExist();
    }

    @Test
    void missingRegistryKeyMeansNoRulesYet() throws Exception {
        assertThat(win.state("v4tov4")).doesNotExist();
        PortObserved.Proxy o = (PortObserved.Proxy) reconciler().probe(rule8080(), host);
        assertThat(o.entries()).isEmpty();
        assertThat(o.firewallRules()).isZero();
        assertThat(o.ifaceAddress()).isEqualTo("127.0.0.1");
        assertThat(win.read("reg.log")).contains("query HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp");
    }

    @Test
    void probeReadsTheRegistryNotTheLocalizedShowOutput() throws Exception {
        win.write("locale", "de");
        win.write("v4tov4", "0.0.0.0/8080 127.0.0.1/8080\n");
        String shown = new String(new ProcessBuilder(win.bin().resolve("netsh.exe").toString(), "interface", "portproxy", "show", "v4tov4")
                .start().getInputStream().readAllBytes());
        assertThat(shown).contains("Adresse").doesNotContain("Listen on ipv4");
        Files.deleteIfExists(win.state("netsh.log"));

        PortObserved.Proxy o = (PortObserved.Proxy) reconciler().probe(rule8080(), host);
        assertThat(o.entries()).containsEntry("0.0.0.0", "127.0.0.1:8080");
        assertThat(win.read("netsh.log")).doesNotContain("portproxy show");
        assertThat(PortsReconciler.diffProxy(rule8080(), o)).extracting(Change::field).containsExactly("firewall");
    }

    @Test
    void mirroredNetworkingIsSkippedWithTheReason() throws Exception {
        win.write("networking-mode", "mirrored\n");
        assertThatThrownBy(() -> reconciler().probe(rule8080(), host))
                .isInstanceOf(ResourceSkipped.class).hasMessageContaining("mirrored networking needs no portproxy");
        assertThat(win.read("reg.log")).isEmpty();
    }

    @Test
    void outsideWslTheWindowsSideIsSkipped() throws Exception {
        PortsReconciler r = new PortsReconciler(new WslEnvironment(win.plainLinuxEnv()));
        assertThatThrownBy(() -> r.probe(rule8080(), host(false)))
                .isInstanceOf(ResourceSkipped.class).hasMessageContaining("not WSL");
        assertThat(win.read("netsh.log")).isEmpty();
    }

    @Test
    void localhostOnlyOutsideWslIsSkippedUnlessTheProfileWantsItOnLinux() throws Exception {
        PortsReconciler r = new PortsReconciler(new WslEnvironment(win.plainLinuxEnv()));
        PortResource plain = r.desired(TestYaml.parse("profiles/base.yaml", "- {port: 8080, localhostOnly: true}"), CTX).get(1);
        assertThatThrownBy(() -> r.probe(plain, host(false))).isInstanceOf(ResourceSkipped.class)
                .hasMessageContaining("not WSL").hasMessageContaining("set localhostOnlyOnLinux: true");
        PortResource wanted = r.desired(TestYaml.parse("profiles/base.yaml",
                "- {port: 8080, localhostOnly: true, localhostOnlyOnLinux: true}"), CTX).get(1);
        assertThat(((LocalhostRule) wanted).onLinux()).isTrue();
        assertThat(((LocalhostRule) plain).onLinux()).isFalse();
        // the removal of a rule made earlier still happens outside WSL
        PortResource gone = r.removal(plain.id(), Map.of()).orElseThrow();
        assertThat(((LocalhostRule) gone).present()).isFalse();
    }

    @Test
    void aSandboxRootIsSkipped() throws Exception {
        Host sandbox = new Host(tmp.resolve("root"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), tmp.resolve("state"),
                host.facts(), new Commands());
        assertThatThrownBy(() -> reconciler().probe(rule8080(), sandbox)).isInstanceOf(ResourceSkipped.class);
    }

    @Test
    void removalDeletesOnlyTheAgentsOwnRules() throws Exception {
        // somebody's own rules: another listen address on the same port, and another port
        win.write("v4tov4", "127.0.0.1/8080 10.9.9.9/80\n0.0.0.0/9999 10.9.9.9/9999\n");
        win.write("firewall", "devbox-agent tcp/9999|In|Allow|TCP|9999\nmy rule|In|Allow|TCP|8080\n");
        PortsReconciler r = reconciler();
        PortProxyRule d = rule8080();
        applyAll(r, d);
        assertThat(win.read("v4tov4")).contains("0.0.0.0/8080 127.0.0.1/8080");

        PortResource gone = r.removal("port[tcp/8080]", Map.of("portproxy@persisted", "lo:8080")).orElseThrow();
        List<Change> changes = plan(r, gone);
        assertThat(changes).extracting(Change::field, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("portproxy(0.0.0.0)", null),
                org.assertj.core.groups.Tuple.tuple("firewall", null));
        for (Change c : changes) r.apply(gone, c, host);

        assertThat(win.read("v4tov4").lines()).containsExactly("127.0.0.1/8080 10.9.9.9/80", "0.0.0.0/9999 10.9.9.9/9999");
        assertThat(win.read("firewall").lines()).containsExactly("devbox-agent tcp/9999|In|Allow|TCP|9999", "my rule|In|Allow|TCP|8080");
        assertThat(plan(r, gone)).isEmpty();
        assertThat(tmp.resolve("state/ports/owned.json")).as("the agent owns no rule any more: its record goes too").doesNotExist();
    }

    @Test
    void changingTheListenAddressDeletesTheOldEntryTheAgentMade() throws Exception {
        PortsReconciler r = reconciler();
        applyAll(r, rule8080());
        PortProxyRule moved = (PortProxyRule) desired("- {port: 8080, interface: lo, listenAddress: 127.0.0.1}").get(0);
        List<Change> changes = plan(r, moved);
        assertThat(changes).extracting(Change::field).containsExactly("portproxy", "portproxy(0.0.0.0)");
        for (Change c : changes) r.apply(moved, c, host);
        assertThat(win.read("v4tov4")).isEqualTo("127.0.0.1/8080 127.0.0.1/8080\n");
    }

    @Test
    void aChangedWslAddressIsDriftAgainstTheSymbolicTarget() throws Exception {
        PortProxyRule d = (PortProxyRule) desired("- {port: 3000, targetPort: 3001}").get(0);
        var inSync = new PortObserved.Proxy("172.28.5.5", Map.of("0.0.0.0", "172.28.5.5:3001"), Set.of("0.0.0.0"), 1);
        assertThat(PortsReconciler.diffProxy(d, inSync)).isEmpty();
        var afterRestart = new PortObserved.Proxy("172.28.9.9", Map.of("0.0.0.0", "172.28.5.5:3001"), Set.of("0.0.0.0"), 1);
        assertThat(PortsReconciler.diffProxy(d, afterRestart)).containsExactly(
                Change.of("port[tcp/3000]", d.origin(), new PortOp.AddProxy("172.28.5.5:3001", "eth0", 3001)));
        assertThat(PortsReconciler.diffProxy(d, afterRestart).get(0)).extracting(Change::field, Change::layer, Change::from, Change::to)
                .containsExactly("portproxy", Layer.PERSISTED, "172.28.5.5:3001", "eth0:3001");
        // pure: same input, same output
        assertThat(PortsReconciler.diffProxy(d, afterRestart)).isEqualTo(PortsReconciler.diffProxy(d, afterRestart));
    }

    @Test
    void firewallFalseRemovesTheAgentsNamedRule() throws Exception {
        PortProxyRule d = (PortProxyRule) desired("- {port: 3000, firewall: false}").get(0);
        var o = new PortObserved.Proxy("10.0.0.2", Map.of("0.0.0.0", "10.0.0.2:3000"), Set.of(), 1);
        assertThat(PortsReconciler.diffProxy(d, o)).extracting(Change::field, Change::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("firewall", null));
        assertThat(PortsReconciler.diffProxy(d, o)).extracting(Change::op).containsExactly(new PortOp.DeleteFirewall("allow in tcp/3000"));
    }

    @Test
    void localhostOnlyAddsALinuxSideResource() throws Exception {
        List<PortResource> rs = desired("- {port: 8080, targetPort: 3000, localhostOnly: true}");
        assertThat(rs).extracting(PortResource::id).containsExactly("port[tcp/8080]", "port[tcp/8080:localhost]");
        LocalhostRule l = (LocalhostRule) rs.get(1);
        assertThat(l.ruleBody()).isEqualTo("iifname \"eth0\" tcp dport 3000 dnat to 127.0.0.1:3000");
        var none = new PortObserved.Localhost(List.of(), "0", null, false);
        assertThat(PortsReconciler.diffLocalhost(l, none)).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dnat", null, l.ruleBody()),
                org.assertj.core.groups.Tuple.tuple("route_localnet", "0", "1"));
        assertThat(PortsReconciler.diffLocalhost(l, none)).extracting(Change::op).containsExactly(
                new PortOp.SetDnat(null, l.ruleBody()), new PortOp.RaiseRouteLocalnet("0"));
        var done = new PortObserved.Localhost(List.of(l.ruleBody()), "1", "0", false);
        assertThat(PortsReconciler.diffLocalhost(l, done)).isEmpty();
        PortResource gone = reconciler().removal("port[tcp/8080:localhost]", Map.of("dnat@runtime", l.ruleBody())).orElseThrow();
        assertThat(((LocalhostRule) gone).iface()).isEqualTo("eth0");
        assertThat(PortsReconciler.diffLocalhost((LocalhostRule) gone, done)).extracting(Change::field, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dnat", null), org.assertj.core.groups.Tuple.tuple("route_localnet", "0"));
        assertThat(gone.presence().isAbsent()).isTrue();
        assertThat(PortsReconciler.diffLocalhost((LocalhostRule) gone, done)).extracting(Change::op).containsExactly(
                new PortOp.DeleteDnat(l.ruleBody()), new PortOp.RestoreRouteLocalnet("1", "0"));
        // another rule still needs route_localnet on eth0: leave it on
        var shared = new PortObserved.Localhost(List.of(l.ruleBody()), "1", "0", true);
        assertThat(PortsReconciler.diffLocalhost((LocalhostRule) gone, shared)).extracting(Change::field).containsExactly("dnat");
    }

    @Test
    void aPortOrALocalhostTargetListedTwiceIsALocatedError() {
        // the fields' values are the schema's (kinds/SchemaStatedValuesTest): what is left is what it cannot say
        assertThatThrownBy(() -> desired("""
                - {port: 8080, targetPort: 80, localhostOnly: true}
                - {port: 9000}
                - {port: 8080}
                - {port: 9100, targetPort: 80, localhostOnly: true}
                - {port: 9200, targetPort: 80, localhostOnly: true, interface: eth1}
                """))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(x -> x.render()).containsExactly(
                        "profiles/base.yaml:3:3: port 8080 is already listed at profiles/base.yaml:1:3",
                        "profiles/base.yaml:4:3: targetPort 80 on eth0 is already forwarded to localhost by the rule at profiles/base.yaml:1:3"));
    }

    @Test
    void wholeNumbersInEveryFormYamlWritesThem() throws Exception {
        assertThat(desired("- {port: 8080.0, targetPort: 9.09e3, firewall: False}\n")).singleElement()
                .isInstanceOfSatisfying(PortProxyRule.class, r -> {
                    assertThat(r.port()).isEqualTo(8080);
                    assertThat(r.targetPort()).isEqualTo(9090);
                    assertThat(r.firewall()).isFalse();
                });
    }

    @Test
    void parsesRealRegAndNetshOutputs() {
        String reg = "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\r\n"
                + "    0.0.0.0/8080    REG_SZ    172.28.193.155/8080\r\n    *\\/22    REG_SZ    x\r\n    127.0.0.1/3000    REG_SZ    172.28.193.155/3001\r\n\r\n";
        assertThat(WindowsPortProxy.parseRegQuery(reg)).containsExactly(
                Map.entry("0.0.0.0/8080", "172.28.193.155/8080"), Map.entry("127.0.0.1/3000", "172.28.193.155/3001"));
        assertThat(WindowsPortProxy.countRules("\r\nNo rules match the specified criteria.\r\n")).isZero();
        assertThat(WindowsPortProxy.notElevated("The requested operation requires elevation (Run as administrator).\r\n")).isTrue();
        assertThat(WindowsPortProxy.notElevated("The system cannot find the file specified.")).isFalse();
        assertThat(InterfaceAddress.parse("2: eth0    inet 172.28.193.155/20 brd 172.28.207.255 scope global eth0\\       valid_lft forever preferred_lft forever\n"))
                .contains("172.28.193.155");
    }
}
