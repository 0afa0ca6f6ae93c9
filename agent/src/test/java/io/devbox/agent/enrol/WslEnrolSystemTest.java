package io.devbox.agent.enrol;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code enroll} and {@code leave} through the checkout's launcher on a {@code --root} sandbox: a WSL distro without
 * systemd (its {@code [boot] command} starts the agent, beside the command already there; the daemon really runs and
 * converges the sandbox), and a box with neither systemd nor WSL (the command to run, exit 2).
 */
class WslEnrolSystemTest {
    private static final String WSL_CONF = """
            # my distro's settings
            [boot]
            command = service cron start   # keep me

            [interop]
            appendWindowsPath = false
            """;

    @TempDir
    Path tmp;
    Path root;
    Path fleet;

    @BeforeEach
    void box() throws Exception {
        SystemTests.requireRoot();
        SystemTests.requireCommand("setsid");
        root = tmp.resolve("box");
        Sandboxes.sysctls(root, Map.of("vm.swappiness", "60"));
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        fleet = GitRepos.init(tmp.resolve("fleet"));
        GitRepos.commitFile(fleet, "profiles/base.yaml", """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: base}
                spec:
                  sysctl:
                    vm.swappiness: 10
                """, "base profile");
    }

    @AfterEach
    void stopLeftDaemon() throws Exception {
        Optional<ProcessHandle> daemon = WatchProcess.fromPidFile(root.resolve("run/devbox-agent.pid"));
        if (daemon.isPresent()) {
            daemon.get().destroyForcibly();
            daemon.get().onExit().get();
        }
    }

    private SystemTests.Result agent(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(SystemTests.agentLauncher().toString()));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--root", root.toString(), "--hostname", "dev-1", "--no-color"));
        return SystemTests.run(argv, Map.of("JAVA_HOME", System.getProperty("java.home")), tmp, Duration.ofMinutes(3));
    }

    @Test
    void wslWithoutSystemdStartsTheAgentFromTheBootCommandBesideTheOneThereAndLeavesItAsItWas() throws Exception {
        Files.createDirectories(root.resolve("proc/sys/fs/binfmt_misc"));
        Files.writeString(root.resolve("proc/sys/fs/binfmt_misc/WSLInterop"), "enabled\n");
        Files.writeString(root.resolve("etc/wsl.conf"), WSL_CONF);

        SystemTests.Result enroll = agent("enroll", "--repo", fleet.toString(), "--interval", "5s");
        assertThat(enroll.exitCode()).as(enroll.all()).isZero();
        Path start = SystemTests.agentLauncher().getParent().getParent().resolveSibling("samples/devbox-agent-wsl-start");
        String command = start + " --root " + root;
        assertThat(enroll.stdout()).contains("sysctl[vm.swappiness]", "Enrolled: wrote " + root.resolve("etc/devbox-agent/agent.yaml"),
                "Added the agent's start to /etc/wsl.conf [boot] command, before the command that was there",
                "Started devbox-agent watch in the background", "Result: ", " 0 error", "This box follows " + fleet);
        assertThat(Files.readString(root.resolve("etc/wsl.conf"))).isEqualTo(WSL_CONF.replace(
                "command = service cron start   # keep me", "command = " + command + "; service cron start   # keep me"));
        // the daemon runs and converged the box in its first cycle
        ProcessHandle daemon = WatchProcess.fromPidFile(root.resolve("run/devbox-agent.pid")).orElseThrow();
        assertThat(Files.readString(root.resolve("proc/sys/vm/swappiness")).strip()).isEqualTo("10");
        Path config = root.resolve("etc/devbox-agent/agent.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent()))).isEqualTo("rwxr-xr-x");
        assertThat(Files.getAttribute(config, "unix:uid")).isEqualTo(0);
        assertThat(Files.readString(config)).contains("repo: \"" + fleet + "\"   # --repo", "interval: \"5s\"   # --interval",
                "hostname: \"dev-1\"   # --hostname");
        String configBefore = Files.readString(config);
        long configTime = Files.getLastModifiedTime(config).toMillis();

        SystemTests.Result again = agent("enroll", "--repo", fleet.toString(), "--interval", "5s");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stdout()).contains("Nothing changed: this box is already enrolled in " + fleet,
                "Its last cycle:").doesNotContain("Enrolled", "Added", "Started");
        assertThat(Files.readString(config)).isEqualTo(configBefore);
        assertThat(Files.getLastModifiedTime(config).toMillis()).isEqualTo(configTime);
        assertThat(WatchProcess.fromPidFile(root.resolve("run/devbox-agent.pid"))).contains(daemon);

        SystemTests.Result other = agent("enroll", "--repo", fleet.toString(), "--interval", "7s");
        assertThat(other.exitCode()).as(other.all()).isEqualTo(1);
        assertThat(other.stderr()).contains("already enrolled", "--force", "interval: 5s -> 7s");
        assertThat(Files.readString(config)).isEqualTo(configBefore);

        SystemTests.Result leave = agent("leave");
        assertThat(leave.exitCode()).as(leave.all()).isZero();
        assertThat(leave.stdout()).contains("Stopped devbox-agent watch (pid " + daemon.pid() + ")",
                "Removed the agent's start from /etc/wsl.conf [boot] command (kept: service cron start)", "Removed the enrolment");
        assertThat(daemon.isAlive()).isFalse();
        assertThat(Files.readString(root.resolve("etc/wsl.conf"))).isEqualTo(WSL_CONF);
        assertThat(Files.readAllBytes(config)).isEqualTo(EnrolmentFile.unenrolled());
        assertThat(root.resolve("run/devbox-agent.pid")).doesNotExist();

        SystemTests.Result leaveAgain = agent("leave", "--prune", "--yes");
        assertThat(leaveAgain.exitCode()).as(leaveAgain.all()).isZero();
        // the sysctl stays: leave without --prune keeps what the agent applied; --prune now removes its persisted file
        assertThat(leaveAgain.stdout()).contains("sysctl[vm.swappiness]");
    }

    @Test
    void aBoxWithNeitherSystemdNorWslGetsTheCommandToRunAndExit2() throws Exception {
        SystemTests.Result enroll = agent("enroll", "--repo", fleet.toString());
        assertThat(enroll.exitCode()).as(enroll.all()).isEqualTo(2);
        assertThat(enroll.stdout()).contains("neither systemd as PID 1 nor WSL",
                SystemTests.agentLauncher() + " watch --config " + root.resolve("etc/devbox-agent/agent.yaml") + " --root " + root);
        assertThat(root.resolve("etc/devbox-agent/agent.yaml")).exists();
        assertThat(root.resolve("etc/wsl.conf")).doesNotExist();
        assertThat(Files.readString(root.resolve("proc/sys/vm/swappiness")).strip()).as("enroll itself applies nothing").isEqualTo("60");

        SystemTests.Result again = agent("enroll", "--repo", fleet.toString());
        assertThat(again.exitCode()).as(again.all()).isEqualTo(2);
        assertThat(again.stdout()).contains("Nothing changed: this box is already enrolled in " + fleet, "neither systemd");

        SystemTests.Result dry = agent("enroll", "--repo", fleet.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        assertThat(dry.stdout()).contains("Dry run: nothing was changed");

        SystemTests.Result leave = agent("leave");
        assertThat(leave.exitCode()).as(leave.all()).isZero();
        assertThat(Files.readAllBytes(root.resolve("etc/devbox-agent/agent.yaml"))).isEqualTo(EnrolmentFile.unenrolled());
        SystemTests.Result leaveAgain = agent("leave");
        assertThat(leaveAgain.exitCode()).as(leaveAgain.all()).isZero();
        assertThat(leaveAgain.stdout()).contains("Nothing changed");
    }
}
