package io.devbox.agent.kinds.go;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.Tarballs;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static io.devbox.agent.testing.UserBox.assertCleanError;
import static io.devbox.agent.testing.UserBox.uidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The go kind against a developer who attacks the root agent from their own account (a real unprivileged user owning
 * the sandbox home), through the built jar: links in the home to root-only files and system directories, an installDir
 * the developer controls, a toolchain whose bin/ they can write, an 80 MB env file.
 */
class GoPrivilegeSystemTest {
    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;
    String mirror;
    String sha;

    @BeforeEach
    void box() throws Exception {
        box = UserBox.create(root, work);
        // a toolchain whose archive claims the developer as owner: root must not restore that
        byte[] tgz = Tarballs.goToolchain("1.22.5", box.user.uid(), box.user.gid()).tarGz();
        Path dir = Files.createDirectories(work.resolve("mirror"));
        Files.write(dir.resolve(GoLayout.tarball("1.22.5")), tgz);
        mirror = "file://" + dir + "/";
        sha = GoReconcilerTest.sha(tgz);
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    private void goProfile(String extra) throws Exception {
        box.profile("go", "go:\n  versions: [\"1.22.5\"]\n  mirror: " + mirror + "\n  checksums: {\"1.22.5\": " + sha + "}\n" + extra);
    }

    @Test
    void anEnvFileLinkedToARootOnlyFileIsNeitherReadNorReplaced() throws Exception {
        goProfile("  env: {GOPRIVATE: \"git.example.com/*\"}\n");
        box.asUser("mkdir", "-p", box.home.resolve(".config/go").toString());
        Path env = box.home.resolve(".config/go/env");
        box.asUser("ln", "-s", root.resolve("etc/shadow").toString(), env.toString());
        String shadow = TreeHash.of(root.resolve("etc/shadow"));

        SystemTests.Result plan = box.agent("plan");
        assertCleanError(plan, "go[env:GOPRIVATE]", "/home/" + box.user.name() + "/.config/go/env is a symbolic link");
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertCleanError(apply, "/home/" + box.user.name() + "/.config/go/env is a symbolic link");

        assertThat(Files.isSymbolicLink(env)).as("the link is left as it was").isTrue();
        assertThat(TreeHash.of(root.resolve("etc/shadow"))).isEqualTo(shadow);
        assertThat(String.join("\n", plan.all(), apply.all())).doesNotContain("NOT-FOR-USERS");
        try (Stream<Path> s = Files.walk(box.home)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertThat(Files.readString(p)).as(p.toString()).doesNotContain("NOT-FOR-USERS");
            }
        }
        // the toolchain itself installed: extracted by root, owned by root whatever the archive claimed
        Path installed = root.resolve("usr/local/go-versions/go1.22.5");
        try (Stream<Path> s = Files.walk(installed)) {
            for (Path p : s.toList()) assertThat(uidOf(p)).as(p.toString()).isZero();
        }
    }

    @Test
    void aConfigDirectoryLinkedToASystemDirectoryGetsNothingCreatedThere() throws Exception {
        goProfile("  env: {GOPRIVATE: \"git.example.com/*\"}\n");
        Path sbin = Files.createDirectories(root.resolve("usr/local/sbin"));
        Files.writeString(sbin.resolve("tool"), "#!/bin/sh\n");
        box.asUser("ln", "-s", root.resolve("etc").toString(), box.home.resolve(".config").toString());
        // the agent's own /etc/profile.d script is the one thing it may write under /etc
        String etc = TreeHash.ofExcept(root.resolve("etc"), "profile.d");
        SystemTests.Result first = box.agent("apply", "--yes");
        assertCleanError(first, "/home/" + box.user.name() + "/.config is a symbolic link");
        assertThat(TreeHash.ofExcept(root.resolve("etc"), "profile.d")).isEqualTo(etc);
        assertThat(root.resolve("etc/go")).doesNotExist();

        box.asUser("rm", box.home.resolve(".config").toString());
        box.asUser("mkdir", box.home.resolve(".config").toString());
        box.asUser("ln", "-s", sbin.toString(), box.home.resolve(".config/go").toString());
        String before = TreeHash.of(sbin);
        SystemTests.Result second = box.agent("apply", "--yes");
        assertCleanError(second, "/home/" + box.user.name() + "/.config/go is a symbolic link");
        assertThat(TreeHash.of(sbin)).isEqualTo(before);

        // without the link, the file is written for the developer: theirs, in directories they own
        box.asUser("rm", box.home.resolve(".config/go").toString());
        SystemTests.Result ok = box.agent("apply", "--yes");
        assertThat(ok.exitCode()).as(ok.all()).isZero();
        Path env = box.home.resolve(".config/go/env");
        assertThat(Files.readString(env)).isEqualTo("GOPRIVATE=git.example.com/*\n");
        assertThat(uidOf(env)).isEqualTo(box.user.uid());
        assertThat(uidOf(env.getParent())).isEqualTo(box.user.uid());
    }

    @Test
    void anInstallDirTheDeveloperControlsIsAPlanErrorAtItsLine() throws Exception {
        goProfile("  installDir: ${home}/sdk\n");
        SystemTests.Result own = box.agent("plan");
        assertCleanError(own, "profiles/go.yaml:9:17: go.installDir /home/" + box.user.name() + "/sdk: /home/" + box.user.name()
                + " is owned by " + box.user.name() + " (uid " + box.user.uid() + ")", "could replace the go binaries root runs");
        assertThat(box.home.resolve("sdk")).doesNotExist();

        Path shared = Files.createDirectories(root.resolve("srv/shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        goProfile("  installDir: /srv/shared/go\n");
        SystemTests.Result writable = box.agent("apply", "--yes");
        assertCleanError(writable, "profiles/go.yaml:9:17: go.installDir /srv/shared/go: /srv/shared is writable by others (mode 777)");
        try (Stream<Path> s = Files.list(shared)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void rootNeverRunsBinGoFromATreeTheDeveloperCanWrite() throws Exception {
        goProfile("");
        SystemTests.Result install = box.agent("apply", "--yes");
        assertThat(install.exitCode()).as(install.all()).isZero();
        // an admin gave the developer the toolchain's bin/ (or it came that way): they put their own go there
        Path bin = root.resolve("usr/local/go-versions/go1.22.5/bin");
        box.user.chown(bin);
        Path pwned = root.resolve("pwned");
        box.asUser("rm", bin.resolve("go").toString());
        box.asUser("sh", "-c", "printf '#!/bin/sh\\nid -u > " + pwned + "\\necho go version go1.22.5 linux/amd64\\n' > " + bin.resolve("go")
                + " && chmod 755 " + bin.resolve("go"));

        SystemTests.Result plan = box.agent("plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.stdout()).contains("go[1.22.5]", "incomplete (not running bin/go");
        SystemTests.Result json = box.agent("plan", "--json");
        assertThat(json.stdout()).contains("not running bin/go: /usr/local/go-versions/go1.22.5/bin is owned by " + box.user.name());
        // apply puts a fresh copy in place (root's again) and deletes the tampered one relative to directory handles
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(uidOf(bin)).isZero();
        assertThat(uidOf(bin.resolve("go"))).isZero();
        assertThat(pwned).as("the developer's go never ran as root").doesNotExist();
    }

    @Test
    void an80MegabyteEnvFileIsAResourceErrorNotAnOutOfMemory() throws Exception {
        goProfile("  env: {GOPRIVATE: \"git.example.com/*\"}\n");
        box.asUser("mkdir", "-p", box.home.resolve(".config/go").toString());
        box.asUser("sh", "-c", "head -c 83886080 /dev/zero | tr '\\0' 'A' > " + box.home.resolve(".config/go/env"));
        box.jvm("-Xmx48m");
        String home = TreeHash.of(box.home);
        for (String command : List.of("plan", "apply")) {
            SystemTests.Result r = command.equals("plan") ? box.agent("plan") : box.agent("apply", "--yes");
            assertCleanError(r, "go[env:GOPRIVATE]", "/home/" + box.user.name() + "/.config/go/env is 80.0 MiB, more than the 1.0 MiB"
                    + " a Go env file may have");
            assertThat(r.stdout()).as("the other resources still converge").contains(command.equals("plan") ? "+ go[1.22.5]" : "Apply: 2 added, 0 changed, 0 removed, 0 unchanged, 1 failed.");
        }
        assertThat(TreeHash.of(box.home)).isEqualTo(home);
    }
}
