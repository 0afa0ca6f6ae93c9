package io.devbox.agent.kinds.wsl;

import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.testing.TestYaml;
import io.devbox.agent.kinds.testing.WindowsStandIns;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The wsl kind on a --root sandbox; the Windows side (cmd.exe, wslpath) through stand-ins. */
class WslReconcilerTest {
    static final DesiredContext CTX = new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"),
            new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE));

    @TempDir
    Path tmp;
    Path root;
    WindowsStandIns win;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        win = WindowsStandIns.install(tmp.resolve("win"));
    }

    Host host(String bootId, boolean systemd) {
        return new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), tmp.resolve("state"),
                new Facts("dev-1", bootId, true, systemd, "dev", "/home/dev", true), new Commands());
    }

    WslReconciler reconciler() {
        return new WslReconciler(new WslEnvironment(win.wslEnv()));
    }

    List<WslSetting> desired(String yaml) throws ProfileException {
        return reconciler().desired(TestYaml.parse("profiles/wsl.yaml", yaml), CTX);
    }

    List<Change> converge(WslReconciler r, List<WslSetting> settings, Host h) throws Exception {
        List<Change> all = new java.util.ArrayList<>();
        for (WslSetting s : settings) {
            List<Change> cs = r.diff(s, r.probe(s, h));
            for (Change c : cs) r.apply(s, c, h);
            all.addAll(cs);
        }
        return all;
    }

    @Test
    void editsWslConfInPlaceAndRecordsARestartUntilTheBootIdChanges() throws Exception {
        String before = "# my settings\n[automount]\noptions = \"metadata\"  # keep\n\n[Boot]\nSystemd=false\n# end\n";
        Files.writeString(root.resolve("etc/wsl.conf"), before);
        List<WslSetting> s = desired("conf: {boot: {systemd: true}, network: {hostname: dev-42}}");
        assertThat(s).extracting(WslSetting::id).containsExactly("wsl.conf[boot.systemd]", "wsl.conf[network.hostname]");
        assertThat(s.get(0).warnings()).singleElement().asString().contains("wsl --shutdown");
        Host h = host("boot-1", false);
        WslReconciler r = reconciler();

        List<Change> changes = converge(r, s, h);
        assertThat(changes).extracting(Change::resourceId, Change::from, Change::to).containsExactly(
                tuple("wsl.conf[boot.systemd]", "false", "true"), tuple("wsl.conf[network.hostname]", null, "dev-42"));
        assertThat(Files.readString(root.resolve("etc/wsl.conf")))
                .isEqualTo("# my settings\n[automount]\noptions = \"metadata\"  # keep\n\n[Boot]\nSystemd=true\n# end\n\n[network]\nhostname = dev-42\n");
        assertThat(converge(reconciler(), s, h)).isEmpty();

        assertThat(RestartPending.read(h.stateDir(), "boot-1")).isTrue();
        assertThat(RestartPending.details(h.stateDir(), "boot-1").orElseThrow().changed())
                .containsExactly("wsl.conf[boot.systemd]", "wsl.conf[network.hostname]");
        assertThat(RestartPending.read(h.stateDir(), "boot-2")).as("WSL restarted").isFalse();
    }

    @Test
    void valuesCompareAsWslReadsThem() throws Exception {
        Files.writeString(root.resolve("etc/wsl.conf"), "[boot]\nsystemd = True\n[automount]\ncgroups=V2\n");
        List<WslSetting> s = desired("conf: {boot: {systemd: true}, automount: {cgroups: v2}}");
        assertThat(s).extracting(WslSetting::id).containsExactly("wsl.conf[boot.systemd]", "wsl.conf[automount.cgroups]");
        assertThat(converge(reconciler(), s, host("b", false))).isEmpty();
        assertThat(tmp.resolve("state/wsl/restart-pending.json")).doesNotExist();
    }

    @Test
    void findsWslconfigThroughCmdAndWslpathAndWritesLf() throws Exception {
        Path wslconfig = root.resolve("mnt/c/Users/dev/.wslconfig");
        Files.createDirectories(wslconfig.getParent());
        Files.writeString(wslconfig, "[wsl2]\r\nmemory=4GB\r\nguiApplications=false\r\n");
        List<WslSetting> s = desired("wslconfig: {wsl2: {memory: 8GB, networkingMode: NAT}, experimental: {sparseVhd: true}}");
        WslReconciler r = reconciler();
        Host h = host("boot-1", false);
        WslObserved o = r.probe(s.get(0), h);
        assertThat(o.path()).isEqualTo(wslconfig.toString());
        assertThat(o.value()).isEqualTo("4GB");
        converge(r, s, h);
        assertThat(Files.readString(wslconfig)).isEqualTo(
                "[wsl2]\nmemory=8GB\nguiApplications=false\nnetworkingMode=nat\n\n[experimental]\nsparseVhd=true\n");
        assertThat(RestartPending.read(h.stateDir(), "boot-1")).isTrue();
    }

    @Test
    void aPlanShowsTheEditAsADiffOfTheFileKeepingCommentsAndOrder() throws Exception {
        Files.writeString(root.resolve("etc/wsl.conf"), "# set by IT\n[boot]\nsystemd = false\n\n[user]\ndefault = dev\n");
        List<WslSetting> s = desired("conf: {boot: {systemd: true}}");
        WslReconciler r = reconciler();
        List<Change> changes = r.diff(s.get(0), r.probe(s.get(0), host("b", false)));
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.content().before()).isEqualTo("# set by IT\n[boot]\nsystemd = false\n\n[user]\ndefault = dev\n");
            assertThat(c.content().after()).startsWith("# set by IT\n[boot]\n").contains("default = dev").doesNotContain("false");
            assertThat(c.op()).isEqualTo(new WslOp.SetKey("false", "true", c.content().before(), c.content().after()));
        });
    }

    @Test
    void anExplicitWindowsWslconfigPathIsTranslated() throws Exception {
        List<WslSetting> s = desired("wslconfigPath: 'C:\\Users\\other\\.wslconfig'\nwslconfig: {wsl2: {processors: 4}}");
        WslObserved o = reconciler().probe(s.get(0), host("b", false));
        assertThat(o.path()).isEqualTo(root.resolve("mnt/c/Users/other/.wslconfig").toString());
        assertThat(o.value()).isNull();
    }

    @Test
    void persistSysctlsKeepsTheUsersBootCommand() throws Exception {
        Files.writeString(root.resolve("etc/wsl.conf"), "[boot]\ncommand = service docker start\n");
        Host h = host("b", false);
        assertThat(PersistSysctls.configured(h)).isFalse();
        List<WslSetting> s = desired("persistSysctls: true");
        assertThat(s).extracting(WslSetting::id).containsExactly("wsl.conf[boot.command]");
        assertThat(converge(reconciler(), s, h)).extracting(Change::from, Change::to)
                .containsExactly(tuple("service docker start", "sysctl --system; service docker start"));
        assertThat(Files.readString(root.resolve("etc/wsl.conf"))).isEqualTo("[boot]\ncommand = sysctl --system; service docker start\n");
        assertThat(PersistSysctls.configured(h)).isTrue();
        assertThat(converge(reconciler(), s, h)).isEmpty();

        assertThatThrownBy(() -> reconciler().probe(s.get(0), host("b", true)))
                .isInstanceOf(ResourceSkipped.class).hasMessageContaining("systemd-sysctl");
        assertThat(desired("persistSysctls: true\nconf: {boot: {systemd: true}}")).extracting(WslSetting::id)
                .containsExactly("wsl.conf[boot.systemd]");
        assertThat(desired("persistSysctls: true\nconf: {boot: {command: mount -a}}")).extracting(WslSetting::value)
                .containsExactly("sysctl --system; mount -a");
    }

    @Test
    void outsideWslEverythingIsSkipped() throws Exception {
        WslReconciler r = new WslReconciler(new WslEnvironment(win.plainLinuxEnv()));
        Host h = new Host(root, root, root, tmp.resolve("state"), new Facts("h", "b", false, false, "dev", "/home/dev", true), new Commands());
        WslSetting s = desired("conf: {boot: {systemd: true}}").get(0);
        assertThatThrownBy(() -> r.probe(s, h)).isInstanceOf(ResourceSkipped.class).hasMessageContaining("not WSL");
        // WSL interop registered under the root counts as WSL
        Files.createDirectories(root.resolve("proc/sys/fs/binfmt_misc"));
        Files.writeString(root.resolve("proc/sys/fs/binfmt_misc/WSLInterop"), "enabled\n");
        assertThat(r.probe(s, h).value()).isNull();
    }

    @Test
    void aWslconfigPathOutsideItsPlaceIsRefusedBeyondTheSchema() {
        // unknown keys and bad values are the schema's (kinds/SchemaStatedValuesTest); '..' is the schema's too, and the
        // agent keeps its own check of the path it will write as root
        assertThatThrownBy(() -> desired("wslconfigPath: /mnt/c/../../etc/passwd\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render).containsExactly(
                        "profiles/wsl.yaml:1:16: wslconfigPath may not contain '..': /mnt/c/../../etc/passwd"));
        assertThatThrownBy(() -> desired("wslconfigPath: 'C:\\Users\\..\\x'\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render).containsExactly(
                        "profiles/wsl.yaml:1:16: wslconfigPath may not contain '..': C:\\Users\\..\\x"));
        assertThatThrownBy(() -> desired("wslconfigPath: /mnt/c//x/.wslconfig\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render).singleElement().asString()
                        .startsWith("profiles/wsl.yaml:1:16: wslconfigPath is not a safe path"));
    }
}
