package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.Change;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.testing.TestYaml;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages kind on a {@code --root} sandbox with the real dpkg and apt: the sandbox is managed only when it is a
 * Debian root that only root controls, and then as one (the machine's own dpkg database is never read from it).
 */
class PackagesSandboxTest {

    @Test
    void aSandboxWithoutADpkgDatabaseIsSkipped(@TempDir Path tmp) {
        Host host = Sandboxes.host(tmp.resolve("box"));
        assertThat(new PackagesReconciler().unsupported(host)).hasValueSatisfying(why ->
                assertThat(why).contains("no dpkg database", "/var/lib/dpkg/status"));
    }

    @Test
    void aSandboxAnotherUserCouldChangeIsSkipped(@TempDir Path tmp) throws Exception {
        SystemTests.requireRoot();
        LocalAptRepo.requirePrerequisites();
        Path root = tmp.resolve("box");
        DebianRoot.make(root, new LocalAptRepo(tmp.resolve("apt")).add("devbox-t-a", "1.0-1", null, null).index());
        Host host = Sandboxes.host(root);
        assertThat(new PackagesReconciler().unsupported(host)).isEmpty();
        // group- and world-writable: anyone could swap its usr for a link to the machine's /usr before dpkg unpacks
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(new PackagesReconciler().unsupported(host)).hasValueSatisfying(why -> assertThat(why).contains(root.toString()));
    }

    @Test
    void theSandboxsDatabaseIsProbedNotTheMachines(@TempDir Path tmp) throws Exception {
        LocalAptRepo.requirePrerequisites();
        Path root = tmp.resolve("box");
        LocalAptRepo repo = new LocalAptRepo(tmp.resolve("apt")).add("devbox-t-a", "1.0-1", null, null).add("devbox-t-a", "2.0-1", null, null).index();
        DebianRoot.make(root, repo);
        DebianRoot.update(root);
        DebianRoot.dpkgInstall(root, repo, "devbox-t-a", "1.0-1");
        Host host = Sandboxes.host(root);
        // dpkg is installed on this machine, not in the sandbox; devbox-t-a only in the sandbox
        PackagesReconciler machine = new PackagesReconciler();
        PackageResource dpkg = machine.desired(TestYaml.parse("profiles/p.yaml", "apt: {dpkg: present}\n"), null).get(0);
        assertThat(machine.probe(dpkg, host).state()).isEqualTo(PackageObserved.State.ABSENT);
        PackagesReconciler r = new PackagesReconciler();
        List<PackageResource> wanted = List.of(dpkg, r.desired(TestYaml.parse("profiles/p.yaml", "apt: {devbox-t-a: latest}\n"), null).get(0));
        PackageObserved a = r.probe(wanted.get(1), host);
        assertThat(a).isEqualTo(new PackageObserved(PackageObserved.State.INSTALLED, "1.0-1", false, "install ok installed", "2.0-1"));
        List<Change> up = r.diff(wanted.get(1), a);
        assertThat(up).singleElement().satisfies(c -> assertThat(c.from() + " -> " + c.to()).isEqualTo("1.0-1 -> 2.0-1"));
        r.apply(wanted.get(1), up.get(0), host);
        assertThat(Files.readString(root.resolve("usr/share/devbox-t-a/VERSION"))).isEqualTo("2.0-1\n");
        assertThat(r.diff(wanted.get(1), new PackagesReconciler().probe(wanted.get(1), host))).isEmpty();
    }
}
