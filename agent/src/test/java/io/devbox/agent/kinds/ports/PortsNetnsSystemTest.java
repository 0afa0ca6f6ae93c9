package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.testing.NetnsCommands;
import io.devbox.agent.kinds.testing.TestYaml;
import io.devbox.agent.kinds.testing.WindowsStandIns;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.devbox.agent.testing.SystemTests.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Port rules against a real network stack, in network namespaces this test makes (TESTING.md R4): the WSL
 * address read from a real interface that changes (the NAT restart case), and {@code localhostOnly} with real
 * nftables and real traffic. The Windows side is the stand-ins (Windows cannot run here).
 */
class PortsNetnsSystemTest {
    static final DesiredContext CTX = new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"),
            new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE));

    @TempDir
    Path tmp;
    final String tag = "dvp" + ProcessHandle.current().pid() % 100000;
    final String wslNs = tag + "-wsl";
    final String cliNs = tag + "-cli";
    final List<String> namespaces = new ArrayList<>();
    final List<Process> servers = new ArrayList<>();
    String hostRouteLocalnet;

    @BeforeEach
    void requirements() throws Exception {
        SystemTests.requireRoot();
        SystemTests.requireCommand("ip");
        hostRouteLocalnet = sh(List.of("sysctl", "-n", "net.ipv4.conf.all.route_localnet")).strip();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : servers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        for (String ns : namespaces) SystemTests.run(List.of("ip", "netns", "del", ns), Map.of(), null, Duration.ofSeconds(20));
        // the host namespace was never touched
        assertThat(sh(List.of("ip", "netns", "list"))).doesNotContain(tag);
        assertThat(sh(List.of("sysctl", "-n", "net.ipv4.conf.all.route_localnet")).strip()).isEqualTo(hostRouteLocalnet);
    }

    void netns(String name) throws Exception {
        sh(List.of("ip", "netns", "add", name));
        namespaces.add(name);
        sh(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    }

    Host host(String ns) {
        return new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), tmp.resolve("state"),
                new Facts("dev-1", "boot-1", true, false, "dev", "/home/dev", true), new NetnsCommands(ns));
    }

    List<Change> plan(PortsReconciler r, PortResource d, Host h) throws Exception {
        return r.diff(d, r.probe(d, h));
    }

    @Test
    void aNewWslAddressIsDriftAndGetsCorrected() throws Exception {
        netns(wslNs);
        sh(List.of("ip", "-n", wslNs, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0"));
        sh(List.of("ip", "-n", wslNs, "addr", "add", "10.203.0.2/24", "dev", "eth0"));
        sh(List.of("ip", "-n", wslNs, "link", "set", "eth0", "up"));
        WindowsStandIns win = WindowsStandIns.install(tmp.resolve("win"));
        Host h = host(wslNs);
        PortsReconciler r = new PortsReconciler(new WslEnvironment(win.wslEnv()));
        PortResource d = r.desired(TestYaml.parse("profiles/base.yaml", "- {port: 8080, targetPort: 8081}"), CTX).get(0);

        for (Change c : plan(r, d, h)) r.apply(d, c, h);
        assertThat(win.read("v4tov4")).isEqualTo("0.0.0.0/8080 10.203.0.2/8081\n");
        List<Change> converged = plan(r, d, h);
        assertThat(converged).isEmpty();

        // "WSL restart": the distro comes back with another address; the Windows rule still points at the old one
        sh(List.of("ip", "-n", wslNs, "addr", "flush", "dev", "eth0"));
        sh(List.of("ip", "-n", wslNs, "addr", "add", "10.203.0.77/24", "dev", "eth0"));
        List<Change> drift = plan(new PortsReconciler(new WslEnvironment(win.wslEnv())), d, h);
        // the applied value was "eth0:8081"; what the box shows now differs from it: the engine reports drift
        assertThat(drift).extracting(Change::field, Change::from, Change::to)
                .containsExactly(tuple("portproxy", "10.203.0.2:8081", "eth0:8081"));
        for (Change c : drift) r.apply(d, c, h);
        assertThat(win.read("v4tov4")).isEqualTo("0.0.0.0/8080 10.203.0.77/8081\n");
        assertThat(plan(r, d, h)).isEmpty();
    }

    @Test
    void localhostOnlyForwardsRealTrafficToAServiceBoundToLoopback() throws Exception {
        SystemTests.requireCommand("nft");
        SystemTests.requireCommand("socat");
        netns(wslNs);
        netns(cliNs);
        String vc = tag + "c", vw = tag + "w";
        sh(List.of("ip", "link", "add", vc, "type", "veth", "peer", "name", vw));
        sh(List.of("ip", "link", "set", vc, "netns", cliNs));
        sh(List.of("ip", "link", "set", vw, "netns", wslNs));
        sh(List.of("ip", "-n", wslNs, "link", "set", vw, "name", "eth0"));
        sh(List.of("ip", "-n", wslNs, "addr", "add", "10.201.0.2/24", "dev", "eth0"));
        sh(List.of("ip", "-n", wslNs, "link", "set", "eth0", "up"));
        sh(List.of("ip", "-n", cliNs, "addr", "add", "10.201.0.1/24", "dev", vc));
        sh(List.of("ip", "-n", cliNs, "link", "set", vc, "up"));
        // two services bound to 127.0.0.1 only: 9090 gets a rule, 9191 does not
        server(9090, "marker-9090");
        server(9191, "marker-9191");
        assertThat(fetch(9090)).as("before the rule a loopback-only service is unreachable").isNull();

        WindowsStandIns win = WindowsStandIns.install(tmp.resolve("win"));
        // a plain Linux box (no WSL in the environment or the facts), whose eth0 faces the network
        Host h = new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), tmp.resolve("state"),
                new Facts("dev-1", "boot-1", false, false, "dev", "/home/dev", true), new NetnsCommands(wslNs));
        PortsReconciler r = new PortsReconciler(new WslEnvironment(win.plainLinuxEnv()));
        // localhostOnly alone is skipped there, and nothing is touched
        PortResource notWanted = r.desired(TestYaml.parse("profiles/base.yaml",
                "- {port: 8080, targetPort: 9090, localhostOnly: true}"), CTX).get(1);
        assertThatThrownBy(() -> r.probe(notWanted, h)).isInstanceOf(ResourceSkipped.class)
                .hasMessageContaining("not WSL").hasMessageContaining("localhostOnlyOnLinux: true");
        assertThat(SystemTests.run(List.of("ip", "netns", "exec", wslNs, "nft", "list", "table", "ip", "devbox_agent"), Map.of(), null,
                Duration.ofSeconds(10)).exitCode()).as("no table made").isEqualTo(1);
        assertThat(sh(List.of("ip", "netns", "exec", wslNs, "sysctl", "-n", "net.ipv4.conf.eth0.route_localnet")).strip()).isEqualTo("0");

        List<PortResource> rs = r.desired(TestYaml.parse("profiles/base.yaml",
                "- {port: 8080, targetPort: 9090, localhostOnly: true, localhostOnlyOnLinux: true}"), CTX);
        PortResource local = rs.get(1);
        assertThat(local.id()).isEqualTo("port[tcp/8080:localhost]");

        List<Change> changes = plan(r, local, h);
        assertThat(changes).extracting(Change::field, Change::from, Change::to).containsExactly(
                tuple("dnat", null, "iifname \"eth0\" tcp dport 9090 dnat to 127.0.0.1:9090"),
                tuple("route_localnet", "0", "1"));
        for (Change c : changes) r.apply(local, c, h);
        for (Change c : changes) r.apply(local, c, h); // idempotent
        assertThat(plan(r, local, h)).isEmpty();
        assertThat(sh(List.of("ip", "netns", "exec", wslNs, "nft", "list", "table", "ip", "devbox_agent")).lines()
                .filter(l -> l.contains("dnat to"))).hasSize(1);

        assertThat(fetch(9090)).isEqualTo("marker-9090");
        assertThat(fetch(9191)).as("a port without a rule stays unreachable").isNull();

        // drift: somebody flushes the table; the probe sees it
        sh(List.of("ip", "netns", "exec", wslNs, "nft", "flush", "table", "ip", "devbox_agent"));
        List<Change> drift = plan(r, local, h);
        assertThat(drift).extracting(Change::field).containsExactly("dnat");
        assertThat(fetch(9090)).isNull();
        for (Change c : drift) r.apply(local, c, h);
        assertThat(fetch(9090)).isEqualTo("marker-9090");

        // removal: rule and table gone, route_localnet back to what it was
        PortResource gone = r.removal(local.id(), Map.of("dnat@runtime", "iifname \"eth0\" tcp dport 9090 dnat to 127.0.0.1:9090")).orElseThrow();
        for (Change c : plan(r, gone, h)) r.apply(gone, c, h);
        assertThat(plan(r, gone, h)).isEmpty();
        assertThat(SystemTests.run(List.of("ip", "netns", "exec", wslNs, "nft", "list", "table", "ip", "devbox_agent"), Map.of(), null,
                Duration.ofSeconds(10)).exitCode()).isEqualTo(1);
        assertThat(sh(List.of("ip", "netns", "exec", wslNs, "sysctl", "-n", "net.ipv4.conf.eth0.route_localnet")).strip()).isEqualTo("0");
        assertThat(fetch(9090)).isNull();
    }

    private void server(int port, String marker) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", wslNs, "socat",
                "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork", "SYSTEM:echo " + marker)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("socat-" + port + ".log").toFile()).start();
        servers.add(p);
        for (int i = 0; i < 50; i++) {
            String ss = sh(List.of("ip", "netns", "exec", wslNs, "ss", "-ltn"));
            if (ss.contains("127.0.0.1:" + port)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("socat did not start on " + port);
    }

    /** What the client namespace receives from 10.201.0.2:port through eth0, or null when it cannot connect. */
    private String fetch(int port) throws Exception {
        SystemTests.Result r = SystemTests.run(List.of("ip", "netns", "exec", cliNs, "socat", "-T2", "-",
                "TCP:10.201.0.2:" + port + ",connect-timeout=2"), Map.of(), null, Duration.ofSeconds(20));
        return r.exitCode() == 0 && !r.stdout().isBlank() ? r.stdout().strip() : null;
    }
}
