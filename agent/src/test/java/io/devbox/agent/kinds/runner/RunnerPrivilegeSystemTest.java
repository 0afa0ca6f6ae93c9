package io.devbox.agent.kinds.runner;

import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static io.devbox.agent.testing.UserBox.uidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner kind against a CI job attacking the root agent from the runner's account (runAs, a real unprivileged
 * user), through the built jar: a replaced {@code bin/Runner.Listener} must never run as root, config.sh runs as runAs
 * without root's environment, and an upgrade or removal of the job-writable tree never reads or deletes through the
 * links the job planted.
 */
class RunnerPrivilegeSystemTest {
    private static final String TOKEN = "AZQ3PRIVTOKEN9C8B7A6D5E4F3A2";
    private static final String CANARY = "root-only-canary-5e1d";

    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;
    LoopbackServer server;
    Path standin;
    Path outside;

    @BeforeEach
    void box() throws Exception {
        box = UserBox.create(root, work);
        server = new LoopbackServer();
        Path token = Files.createDirectories(root.resolve("etc/devbox-agent")).resolve("runner-token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        // where the config.sh stand-in logs its calls: the runner's user must be able to write there
        standin = Files.createDirectories(root.resolve("opt/runner-standin"));
        box.user.chown(standin);
        outside = Files.createDirectories(root.resolve("srv/outside"));
        for (int i = 0; i < 200; i++) Files.writeString(outside.resolve("keep-" + i), "root's file " + i + "\n");
        box.env("DEVBOX_CANARY", CANARY);
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        box.close();
    }

    private void runnerProfile(String version) throws Exception {
        byte[] tgz = FakeRunnerPackage.tarGz(version);
        server.put("/mirror/v" + version + "/" + RunnerLayout.tarball(version), tgz);
        box.profile("ci", """
                runner:
                  url: https://github.com/acme/api
                  name: dev-1
                  version: "%s"
                  sha256: %s
                  mirror: %s
                  runAs: %s
                  tokenFile: /etc/devbox-agent/runner-token
                """.formatted(version, FakeRunnerPackage.sha256(tgz), server.url("/mirror/"), box.user.name()));
    }

    private Path dir() {
        return root.resolve("opt/actions-runner");
    }

    @Test
    void theListenerProbeAndConfigShRunAsRunAsNeverAsRoot() throws Exception {
        runnerProfile("2.330.0");
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(uidOf(dir())).isEqualTo(box.user.uid());
        assertThat(uidOf(dir().resolve("bin/Runner.Listener"))).isEqualTo(box.user.uid());
        assertThat(uidOf(dir().resolve(".runner"))).as("written by config.sh, run as runAs").isEqualTo(box.user.uid());
        String env = Files.readString(standin.resolve("env.log"));
        assertThat(env).contains("USER=" + box.user.name(), "ACTIONS_RUNNER_INPUT_TOKEN=" + TOKEN).doesNotContain(CANARY, "RUNNER_ALLOW_RUNASROOT");

        // a job replaces the listener; the agent's next probe must run it as runAs, never as root
        Path uids = standin.resolve("listener-uids");
        box.asUser("sh", "-c", "printf '#!/bin/sh\\nid -u >> " + uids + "\\necho 2.330.0\\n' > " + dir().resolve("bin/Runner.Listener"));
        SystemTests.Result plan = box.agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        List<String> ran = Files.readAllLines(uids);
        assertThat(ran).isNotEmpty().containsOnly(Integer.toString(box.user.uid()));
    }

    @Test
    void anUpgradeAndARemovalNeitherReadNorDeleteThroughTheJobsLinks() throws Exception {
        runnerProfile("2.330.0");
        SystemTests.Result install = box.agent("apply", "--yes");
        assertThat(install.exitCode()).as(install.all()).isZero();
        // the job links its credentials to a root-only file and its work directory out of the tree
        box.asUser("rm", dir().resolve(".credentials").toString());
        box.asUser("ln", "-s", root.resolve("etc/shadow").toString(), dir().resolve(".credentials").toString());
        box.asUser("mkdir", "-p", dir().resolve("_work/a/b/c").toString());
        box.asUser("ln", "-s", outside.toString(), dir().resolve("_work/outside").toString());
        box.asUser("ln", "-s", outside.toString(), dir().resolve("_work/a/b/c/outside").toString());
        String outsideBefore = TreeHash.of(outside);
        String shadowBefore = TreeHash.of(root.resolve("etc/shadow"));

        runnerProfile("2.331.0");
        SystemTests.Result upgrade = box.agent("apply", "--yes");
        assertThat(upgrade.exitCode()).as(upgrade.all()).isZero();
        assertThat(Files.readString(dir().resolve(RunnerLayout.MARKER))).contains("version=2.331.0");
        try (Stream<Path> s = Files.walk(dir())) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).as(p.toString()).doesNotContain("NOT-FOR-USERS");
            }
        }
        assertThat(Files.isSymbolicLink(dir().resolve("_work/outside"))).as("the job's _work moved over as it was").isTrue();

        box.profile("ci", "{}\n");
        SystemTests.Result removal = box.agent("apply", "--yes");
        assertThat(removal.exitCode()).as(removal.all()).isZero();
        assertThat(dir()).doesNotExist();
        assertThat(TreeHash.of(outside)).isEqualTo(outsideBefore);
        assertThat(TreeHash.of(root.resolve("etc/shadow"))).isEqualTo(shadowBefore);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.count()).isEqualTo(200);
        }
    }
}
