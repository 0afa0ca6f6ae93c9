package io.devbox.agent.hardening;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UnixUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * I/O failures the agent cannot prevent, reported so that a person can act: an ordinary user running any kind's plan
 * or apply against root's state directory is told "permission denied: PATH" (exit 1, no stack trace), and a full disk
 * (a small tmpfs in a private mount namespace) names the file that could not be written.
 */
class UnprivilegedRunSystemTest {
    /** One profile per kind, each valid on its own. */
    static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("sysctl", "  sysctl:\n    net.core.somaxconn: 1024\n");
        KINDS.put("cgroup", "  cgroups:\n    build.slice: {memory: {max: 1G}, pids: {max: 512}}\n");
        KINDS.put("unit", "  systemd:\n    units:\n      demo.service: {content: \"[Unit]\\nDescription=demo\\n[Service]\\nExecStart=/bin/true\\n\", enabled: true}\n");
        KINDS.put("port", "  ports:\n    - {port: 8080, targetPort: 8080}\n");
        KINDS.put("wsl", "  wsl:\n    conf: {boot: {systemd: true}}\n");
        KINDS.put("go", "  go:\n    versions: [\"1.22.5\"]\n    checksums: {\"1.22.5\": \"" + "0".repeat(64) + "\"}\n"
                + "    mirror: file:///nonexistent/go-mirror/\n    env: {GOPRIVATE: \"git.example.com/*\"}\n");
        KINDS.put("hook", "  hooks:\n    repos: [\"${home}/src/*\"]\n    hooks:\n      pre-commit: {file: hooks/pre-commit.sh}\n");
        KINDS.put("runner", "  runner:\n    url: https://github.com/acme/api\n    name: \"${hostname}\"\n    version: \"2.330.0\"\n"
                + "    sha256: " + "a".repeat(64) + "\n    tokenFile: /etc/devbox-agent/runner-token\n");
    }

    @TempDir
    Path tmp;
    Path root;
    Path repo;
    Path sys;
    Path state;

    @BeforeEach
    void box() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = Sandbox.box(tmp.resolve("box"));
        sys = root.resolve("proc/sys");
        state = tmp.resolve("state");
        repo = GitRepos.init(tmp.resolve("fleet"));
        Files.createDirectories(repo.resolve("hooks"));
        Files.writeString(repo.resolve("hooks/pre-commit.sh"), "#!/bin/sh\nexit 0\n");
        for (Map.Entry<String, String> k : KINDS.entrySet()) {
            Files.createDirectories(repo.resolve("profiles"));
            Files.writeString(repo.resolve("profiles/" + k.getKey() + ".yaml"), String.format(HostileCase.HEADER, k.getKey())
                    + "spec:\n" + k.getValue());
        }
        GitRepos.git(repo, "add", "-A");
        GitRepos.git(repo, "commit", "-q", "-m", "one profile per kind");
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--sysctl-dir", sys.toString(),
                "--state-dir", state.toString(), "--hostname", "dev-1", "--user", "dev", "--no-color", "--lock-wait", "5"));
        return argv;
    }

    private static void assertOneClearLine(SystemTests.Result r, String expected) {
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo(expected + "\n");
        assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void everyKindsPlanAndApplyAsAnOrdinaryUserSayWhichPathIsDenied() throws Exception {
        // root's state directory, as a root run leaves it
        SystemTests.Result validate = SystemTests.run(argv("validate"), Map.of(), tmp, Duration.ofMinutes(1));
        assertThat(validate.exitCode()).as(validate.all()).isZero();
        SystemTests.Result rootPlan = SystemTests.run(argv("plan"), Map.of(), tmp, Duration.ofMinutes(1));
        assertThat(rootPlan.all()).doesNotContain("\tat ");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(state.resolve("lock")).exists();
        String before = TreeHash.of(tmp);

        try (UnixUser user = UnixUser.create()) {
            Path home = user.sandboxHome(tmp.resolve("userbox"));
            for (String kind : KINDS.keySet()) {
                for (List<String> cmd : List.of(List.of("plan", "--only", kind), List.of("apply", "--yes", "--only", kind))) {
                    SystemTests.Result r = user.run(argv(cmd.toArray(String[]::new)), home, home, Duration.ofMinutes(1));
                    assertOneClearLine(r, "agent: permission denied: " + state.resolve("lock"));
                }
            }
            // a state directory the user cannot even list
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
            SystemTests.Result r = user.run(argv("plan"), home, home, Duration.ofMinutes(1));
            assertOneClearLine(r, "agent: permission denied: " + state);
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.walk(tmp.resolve("userbox")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertThat(TreeHash.of(tmp)).as("nothing changed").isEqualTo(before);
    }

    /** Runs the agent in a private mount namespace whose {@code full} directory is a 256 KiB tmpfs filled up. */
    private SystemTests.Result onFullDisk(Path full, List<String> agent) throws Exception {
        SystemTests.requireCommand("unshare");
        Files.createDirectories(full);
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=256k,mode=0755 devbox-test-full \"$1\" && { head -c 1048576 /dev/zero > \"$1/.fill\" 2>/dev/null; "
                        + "shift; exec \"$@\"; }", "sh", full.toString()));
        cmd.addAll(agent);
        return SystemTests.run(cmd, Map.of(), tmp, Duration.ofMinutes(2));
    }

    @Test
    void aFullDiskNamesTheFileThatCouldNotBeWritten() throws Exception {
        SystemTests.requireRoot();
        // the state directory on a full disk: the first write is the lock's holder line
        SystemTests.Result r = onFullDisk(state, argv("plan", "--only", "sysctl"));
        assertOneClearLine(r, "agent: no space left on device: " + state.resolve("lock"));
        assertThat(state).isEmptyDirectory();

        // the box's /etc/sysctl.d on a full disk: the resource fails naming the file, the rest of the run is recorded
        Path sysctlD = root.resolve("etc/sysctl.d");
        r = onFullDisk(sysctlD, argv("apply", "--yes", "--only", "sysctl"));
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stdout()).contains("x sysctl[net.core.somaxconn]", "failed: apply persisted (persisted): ",
                "cannot write " + sysctlD.resolve("90-devbox-agent.conf") + ": no space left on device: "
                        + sysctlD.resolve("90-devbox-agent.conf"));
        assertThat(r.all()).doesNotContain("\tat ");
        // the mount was private to that process: the real directory is as it was
        try (var s = Files.list(sysctlD)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
