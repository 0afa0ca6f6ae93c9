package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.kinds.go.GoLayout;
import io.devbox.agent.testing.GoModuleProxy;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.devbox.agent.testing.UserBox.assertCleanError;
import static io.devbox.agent.testing.UserBox.uidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * go.tools in the developer's home, through the built jar, with a real unprivileged account owning the sandbox home and
 * Debian's go as the installed default toolchain: the build, its caches and the rename are the developer's own work
 * (nothing root-owned appears in their home), links they plant are not followed by root, the profile.d script puts
 * their directory on their PATH and not on root's, and a directory they control outside their home is refused.
 */
class GoToolsPrivilegeSystemTest {
    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;
    GoModuleProxy.RealGo go;
    GoModuleProxy proxy;

    @BeforeEach
    void box() throws Exception {
        go = GoModuleProxy.RealGo.find();
        box = UserBox.create(root, work);
        // the default toolchain as the go kind installed it: Debian's go behind the agent's completion marker
        go.linkInto(root, GoLayout.DEFAULT_INSTALL_DIR);
        Files.writeString(root.resolve("usr/local/go-versions/go" + go.version()).resolve(GoLayout.MARKER), "");
        proxy = GoModuleProxy.standard(root.resolve("srv/goproxy"));
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    private void profile(String toolsDir, String tools) throws Exception {
        box.profile("go", "go:\n  versions: [\"" + go.version() + "\"]\n  env: {GOPROXY: \"" + proxy.url() + "\", GONOSUMDB: example.test}\n"
                + "  toolsDir: " + toolsDir + "\n  tools: {" + tools + "}\n");
    }

    @Test
    void toolsInTheDevelopersHomeAreBuiltByTheDeveloper() throws Exception {
        profile("${home}/go-tools", "hello: example.test/hello@v1.0.0, greet: example.test/tools/cmd/greet@v0.2.0");
        SystemTests.Result plan = box.agent("plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.stdout()).contains("+ gotool[hello]", "module      (absent) -> example.test/hello@v1.0.0", "+ gotool[greet]");
        System.out.println("README plan:\n" + plan.stdout());
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        System.out.println("README apply:\n" + apply.stdout());

        Path bin = box.home.resolve("go-tools/bin");
        assertThat(box.asUser(bin.resolve("hello").toString()).strip()).isEqualTo("hello v1.0.0");
        assertThat(box.asUser(bin.resolve("greet").toString()).strip()).isEqualTo("greetings");
        assertThat(box.home.resolve("go/pkg/mod/cache/download/example.test/hello/@v/v1.0.0.zip")).as("the developer's module cache").exists();
        try (Stream<Path> s = Files.walk(box.home)) {
            for (Path p : s.toList()) assertThat(uidOf(p)).as("nothing of root's in the home: " + p).isEqualTo(box.user.uid());
        }
        try (Stream<Path> s = Files.list(box.home.resolve("go-tools"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temp directory left").containsExactly("bin");
        }
        assertThat(root.resolve("var/lib/devbox-agent/gotools")).as("root's own cache is not used").doesNotExist();

        SystemTests.Result again = box.agent("plan");
        assertThat(again.stdout()).doesNotContain("+ gotool", "~ gotool");

        // the developer replaces a tool with a program of their own: drift, rebuilt as the developer
        box.asUser("cp", "/bin/true", bin.resolve("hello").toString());
        SystemTests.Result drift = box.agent("plan");
        System.out.println("README drift:\n" + drift.stdout());
        assertThat(drift.stdout()).contains("! gotool[hello]  drift", "changed on this box since the last apply", "module      not a Go program -> example.test/hello@v1.0.0");
        assertThat(box.agent("apply", "--yes").exitCode()).isZero();
        assertThat(box.asUser(bin.resolve("hello").toString()).strip()).isEqualTo("hello v1.0.0");
        assertThat(uidOf(bin.resolve("hello"))).isEqualTo(box.user.uid());
    }

    @Test
    void theProfileScriptPutsTheDevelopersToolsOnTheirPathAlone() throws Exception {
        profile("${home}/go-tools", "hello: example.test/hello@v1.0.0");
        assertThat(box.agent("apply", "--yes").exitCode()).isZero();
        String script = Files.readString(root.resolve("etc/profile.d/devbox-go.sh"));
        String toolsBin = "/home/" + box.user.name() + "/go-tools/bin";
        assertThat(script).contains("[ -O \"" + toolsBin + "\" ]");
        // the script run for real, its box paths pointed into the sandbox, by root and by the developer
        Path copy = work.resolve("devbox-go.sh");
        Files.writeString(copy, script.replace(toolsBin, box.home.resolve("go-tools/bin").toString()));
        Files.setPosixFilePermissions(copy.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        List<String> printPath = List.of("sh", "-c", ". " + copy + " && echo \"$PATH\"");
        String asRoot = SystemTests.run(printPath, Map.of("PATH", "/usr/bin:/bin"), null, Duration.ofSeconds(10)).stdout();
        String asDeveloper = box.user.run(printPath, box.home, box.home, Duration.ofSeconds(10)).stdout();
        assertThat(asRoot).doesNotContain("go-tools");
        assertThat(asDeveloper.strip()).endsWith(":" + box.home.resolve("go-tools/bin"));
    }

    @Test
    void linksTheDeveloperPlantsAreNotFollowed() throws Exception {
        Path sbin = Files.createDirectories(root.resolve("usr/local/sbin"));
        Files.writeString(sbin.resolve("hello"), "#!/bin/sh\necho root's own\n");
        String before = TreeHash.of(sbin);
        profile("${home}/go-tools", "hello: example.test/hello@v1.0.0");

        // bin/ itself a link to a root-only directory: the developer's build cannot write there, and root does not
        box.asUser("mkdir", box.home.resolve("go-tools").toString());
        box.asUser("ln", "-s", sbin.toString(), box.home.resolve("go-tools/bin").toString());
        SystemTests.Result linkedDir = box.agent("apply", "--yes");
        assertCleanError(linkedDir, "gotool[hello]");
        assertThat(TreeHash.of(sbin)).isEqualTo(before);

        // the program's name a link to a root-only file: the new binary replaces the link, the file stays
        box.asUser("rm", box.home.resolve("go-tools/bin").toString());
        box.asUser("mkdir", box.home.resolve("go-tools/bin").toString());
        box.asUser("ln", "-s", sbin.resolve("hello").toString(), box.home.resolve("go-tools/bin/hello").toString());
        SystemTests.Result plan = box.agent("plan");
        assertThat(plan.stdout()).contains("~ gotool[hello]", "module      not a regular file -> example.test/hello@v1.0.0");
        SystemTests.Result linkedFile = box.agent("apply", "--yes");
        assertThat(linkedFile.exitCode()).as(linkedFile.all()).isZero();
        assertThat(Files.isSymbolicLink(box.home.resolve("go-tools/bin/hello"))).isFalse();
        assertThat(uidOf(box.home.resolve("go-tools/bin/hello"))).isEqualTo(box.user.uid());
        assertThat(TreeHash.of(sbin)).isEqualTo(before);
    }

    @Test
    void aDirectoryTheDeveloperControlsOutsideTheirHomeIsRefusedAtItsLine() throws Exception {
        Path opt = Files.createDirectories(root.resolve("opt/devtools"));
        box.user.chown(opt);
        profile("/opt/devtools", "hello: example.test/hello@v1.0.0");
        SystemTests.Result plan = box.agent("plan");
        assertCleanError(plan, "profiles/go.yaml:8:15: go.toolsDir /opt/devtools is not root's alone (/opt/devtools is owned by "
                + box.user.name(), "and not in the developer's home (/home/" + box.user.name() + ")");
        try (Stream<Path> s = Files.list(opt)) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(Files.exists(root.resolve("etc/profile.d/devbox-go.sh"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
