package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.kinds.wsl.PersistSysctls;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SysctlReconcilerTest {
    private static final Origin AT = new Origin("profiles/base.yaml", 8, 5);
    private final SysctlReconciler kind = new SysctlReconciler(PersistSysctls::configured);

    private static SysctlSetting setting(String key, String value) {
        return new SysctlSetting(SysctlKey.parse(key), value, AT);
    }

    @Test
    void diffComparesWhitespaceNormalizedFields() {
        SysctlSetting want = setting("net.ipv4.ip_local_port_range", SysctlValue.normalize("20000   60999"));
        assertThat(kind.diff(want, new SysctlObserved(SysctlValue.normalize("20000\t60999\n"), "20000 60999"))).isEmpty();
    }

    @Test
    void diffReportsEachLayerSeparately() {
        SysctlSetting want = setting("vm.swappiness", "10");
        assertThat(kind.diff(want, new SysctlObserved("60", null))).containsExactly(
                Change.of("sysctl[vm.swappiness]", AT, new SysctlOp.SetRuntime("60", "10")),
                Change.of("sysctl[vm.swappiness]", AT, new SysctlOp.Persist(null, "10")));
        assertThat(kind.diff(want, new SysctlObserved("10", "30"))).containsExactly(
                Change.of("sysctl[vm.swappiness]", AT, new SysctlOp.Persist("30", "10")));
        // the display text plans, JSON and the applied state read is derived from the operation
        Change runtime = kind.diff(want, new SysctlObserved("60", null)).get(0);
        assertThat(runtime).extracting(Change::field, Change::layer, Change::from, Change::to, Change::stateKey)
                .containsExactly("runtime", Layer.RUNTIME, "60", "10", "runtime@runtime");
    }

    @Test
    void aKeyWithTheWantedRuntimeValueButNoPersistedLineExistsAlready() {
        SysctlSetting want = setting("vm.swappiness", "10");
        SysctlObserved seen = new SysctlObserved("10", null);
        java.util.List<io.devbox.agent.engine.Change> changes = kind.diff(want, seen);
        assertThat(changes).extracting(io.devbox.agent.engine.Change::field).containsExactly("persisted");
        assertThat(kind.exists(want, seen, changes)).as("a plan shows ~, not +: the kernel parameter exists").isTrue();
    }

    @Test
    void aKeyNoLongerManagedOnlyLeavesTheFile() {
        SysctlSetting gone = kind.removal("sysctl[vm.swappiness]", Map.of()).orElseThrow();
        assertThat(gone.presence().isAbsent()).isTrue();
        assertThat(kind.diff(gone, new SysctlObserved(null, "10"))).containsExactly(
                Change.of("sysctl[vm.swappiness]", null, new SysctlOp.Unpersist("10")));
        assertThat(kind.diff(gone, new SysctlObserved(null, "10")).get(0)).extracting(Change::field, Change::from, Change::to)
                .containsExactly("persisted", "10", null);
        assertThat(kind.diff(gone, new SysctlObserved(null, null))).isEmpty();
    }

    @Test
    void keysAcceptDotsOrSlashesAndRejectEscapes() {
        assertThat(SysctlKey.parse("net/ipv4/ip_forward").name()).isEqualTo("net.ipv4.ip_forward");
        SysctlKey vlan = SysctlKey.parse("net/ipv4/conf/eth0.100/rp_filter");
        assertThat(vlan.segments()).containsExactly("net", "ipv4", "conf", "eth0.100", "rp_filter");
        assertThat(vlan.name()).isEqualTo("net.ipv4.conf.eth0/100.rp_filter");
        assertThat(SysctlKey.fromName(vlan.name())).isEqualTo(vlan);
        for (String bad : List.of("../etc/passwd", "net..ipv4", "/proc/sys/x", "net.ipv4.\nfoo", "net/./x", "net.*")) {
            assertThatThrownBy(() -> SysctlKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void desiredLocatesBadKeysAndValues() {
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Origin> keys = new LinkedHashMap<>();
        entries.put("net..x", new Node.Scalar("1", new Origin("p.yaml", 3, 13)));
        keys.put("net..x", new Origin("p.yaml", 3, 5));
        entries.put("vm.swappiness", new Node.Scalar(" \t ", new Origin("p.yaml", 4, 20)));
        keys.put("vm.swappiness", new Origin("p.yaml", 4, 5));
        Node.Mapping section = new Node.Mapping(entries, keys, new Origin("p.yaml", 2, 3));
        assertThatThrownBy(() -> kind.desired(section, null)).isInstanceOfSatisfying(ProfileException.class, e ->
                assertThat(e.errors()).extracting(err -> err.render()).containsExactly(
                        "p.yaml:3:5: sysctl name may not contain '..': net..x",
                        "p.yaml:4:20: sysctl vm.swappiness: empty value"));
    }

    @Test
    void probeAndApplyBothLayersOnASandbox(@TempDir Path root) throws Exception {
        Sandboxes.sysctls(root, Map.of("net.ipv4.ip_local_port_range", "32768\t60999", "vm.swappiness", "60"));
        Host host = Sandboxes.host(root);
        SysctlSetting ports = setting("net.ipv4.ip_local_port_range", "20000 60999");
        SysctlSetting swap = setting("vm.swappiness", "10");
        for (SysctlSetting s : List.of(ports, swap)) {
            for (Change c : kind.diff(s, kind.probe(s, host))) kind.apply(s, c, host);
        }
        SysctlReconciler fresh = new SysctlReconciler(PersistSysctls::configured);
        assertThat(fresh.diff(ports, fresh.probe(ports, host))).isEmpty();
        assertThat(fresh.diff(swap, fresh.probe(swap, host))).isEmpty();
        assertThat(Files.readString(root.resolve("etc/sysctl.d/90-devbox-agent.conf"))).endsWith(
                "net.ipv4.ip_local_port_range = 20000 60999\nvm.swappiness = 10\n");
        Path file = root.resolve("etc/sysctl.d/90-devbox-agent.conf");
        var before = Files.getLastModifiedTime(file);
        Thread.sleep(20);
        fresh.apply(swap, Change.of(swap.id(), AT, new SysctlOp.Persist("10", "10")), host);
        assertThat(Files.getLastModifiedTime(file)).as("rewritten only when the content changes").isEqualTo(before);

        SysctlSetting gone = fresh.removal(swap.id(), Map.of()).orElseThrow();
        for (Change c : fresh.diff(gone, fresh.probe(gone, host))) fresh.apply(gone, c, host);
        assertThat(Files.readString(file)).doesNotContain("vm.swappiness").contains("net.ipv4.ip_local_port_range");
        assertThat(Files.readString(root.resolve("proc/sys/vm/swappiness")).strip()).as("runtime left alone").isEqualTo("10");
    }

    @Test
    void missingKeyIsAResourceError(@TempDir Path root) {
        SysctlSetting s = setting("net.core.netdev_max_backlog", "2000");
        assertThatThrownBy(() -> kind.probe(s, Sandboxes.host(root)))
                .isInstanceOf(ResourceException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aLaterSysctlFileThatWouldWinAtBootIsNamed(@TempDir Path root) throws Exception {
        Sandboxes.sysctls(root, Map.of("vm.swappiness", "60"));
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        Files.writeString(root.resolve("etc/sysctl.d/99-local.conf"), "# mine\nvm.swappiness=1\n");
        assertThatThrownBy(() -> kind.probe(setting("vm.swappiness", "10"), Sandboxes.host(root)))
                .isInstanceOf(ResourceException.class).hasMessageContaining("99-local.conf sets vm.swappiness = 1");
        Files.writeString(root.resolve("etc/sysctl.d/10-early.conf"), "vm.swappiness=1\n");
        Files.delete(root.resolve("etc/sysctl.d/99-local.conf"));
        assertThat(new SysctlReconciler(PersistSysctls::configured).probe(setting("vm.swappiness", "10"), Sandboxes.host(root)).runtime()).isEqualTo("60");
    }

    @Test
    void sysctlDFormatAndPrecedence(@TempDir Path root) throws Exception {
        assertThat(SysctlConfFiles.parse("# c\n; c\n-net/ipv4/ip_forward = 1\nvm.swappiness=  5 \nbroken line\n"))
                .containsExactly(Map.entry("net.ipv4.ip_forward", "1"), Map.entry("vm.swappiness", "5"));
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        Files.createDirectories(root.resolve("usr/lib/sysctl.d"));
        Files.writeString(root.resolve("usr/lib/sysctl.d/50-default.conf"), "vm.a = 1\nvm.b = 1\n");
        Files.writeString(root.resolve("etc/sysctl.d/50-default.conf"), "vm.a = 2\n");
        Files.writeString(root.resolve("usr/lib/sysctl.d/60-x.conf"), "vm.c = 3\n");
        Files.writeString(root.resolve("etc/sysctl.conf"), "vm.c = 4\n");
        Map<String, SysctlConfFiles.Assignment> eff = SysctlConfFiles.effective(p -> root.resolve(p.substring(1)));
        assertThat(eff.get("vm.a").value()).as("same basename: /etc wins").isEqualTo("2");
        assertThat(eff).doesNotContainKey("vm.b");
        assertThat(eff.get("vm.c").value()).as("/etc/sysctl.conf is read last").isEqualTo("4");
    }

    @Test
    void wslWithoutSystemdWarnsOnThePersistedLayer(@TempDir Path root) {
        assertThat(kind.warnings(setting("vm.swappiness", "10"), Sandboxes.host(root, true, false)))
                .singleElement().asString().contains("nothing applies /etc/sysctl.d at boot on WSL without systemd");
        assertThat(kind.warnings(setting("vm.swappiness", "10"), Sandboxes.host(root, true, true))).isEmpty();
        assertThat(kind.warnings(setting("vm.swappiness", "10"), Sandboxes.host(root, false, false))).isEmpty();
    }

    @Test
    void aBootCommandRunningSysctlSystemClearsTheWslWarning(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/wsl.conf"), "[boot]\ncommand = sysctl --system; service ssh start\n");
        assertThat(new SysctlReconciler(PersistSysctls::configured).warnings(setting("vm.swappiness", "10"), Sandboxes.host(root, true, false))).isEmpty();
    }
}
