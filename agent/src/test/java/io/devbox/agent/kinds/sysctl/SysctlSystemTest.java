package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built agent against the real kernel (TESTING.md R1): every step runs inside one private network namespace
 * and mount namespace (tmpfs over /etc/sysctl.d) held open by a sleeping process, so net.* writes and the
 * persisted file never reach the host. The host's values are asserted unchanged.
 */
class SysctlSystemTest {
    private static final List<String> KEYS = List.of("net/core/somaxconn", "net/ipv4/ip_local_port_range",
            "net/ipv4/tcp_keepalive_time", "net/ipv4/tcp_fin_timeout", "net/ipv4/ip_forward");

    @TempDir
    Path tmp;
    private Process holder;
    private Map<String, String> hostBefore;

    @BeforeEach
    void enterNamespaces() throws Exception {
        SystemTests.requireRoot();
        SystemTests.requireCommand("unshare");
        SystemTests.requireCommand("nsenter");
        hostBefore = hostValues();
        holder = new ProcessBuilder("unshare", "-n", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs devbox-test /etc/sysctl.d && echo ready && exec sleep 600").redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        SystemTests.require("ready".equals(line), "cannot make a private network and mount namespace: " + line);
    }

    @AfterEach
    void leave() throws Exception {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        if (hostBefore != null) assertThat(hostValues()).as("host sysctls untouched").isEqualTo(hostBefore);
    }

    private static Map<String, String> hostValues() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : KEYS) out.put(k, new String(Files.newInputStream(Path.of("/proc/sys", k)).readAllBytes()).strip());
        return out;
    }

    private SystemTests.Result agent(Path repo, Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder.pid()), "-n", "-m", "--"));
        argv.addAll(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repo.toString(), "--state-dir", state.toString(), "--no-color", "--hostname", "dev-1"));
        return SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(2));
    }

    private String inside(String... cmd) throws Exception {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder.pid()), "-n", "-m", "--"));
        argv.addAll(List.of(cmd));
        return SystemTests.sh(argv);
    }

    private Path repoWith(String sysctls) throws Exception {
        Path repo = GitRepos.init(tmp.resolve("fleet"));
        GitRepos.commitFile(repo, "profiles/base.yaml", """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: base}
                spec:
                  sysctl:
                """ + sysctls, "base profile");
        return repo;
    }

    @Test
    void planApplyReplanDriftOnTheRealKernel() throws Exception {
        Path repo = repoWith("""
                    net.core.somaxconn: 1024
                    net.ipv4.ip_local_port_range: "20000   60999"
                    net/ipv4/tcp_keepalive_time: 600
                    net.ipv4.tcp_fin_timeout: 30
                """);
        Path state = tmp.resolve("state");

        SystemTests.Result plan = agent(repo, state, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isEqualTo(2);
        assertThat(plan.stdout()).contains("~ sysctl[net.core.somaxconn]", "runtime     4096 -> 1024",
                "persisted   (absent) -> 1024", "profiles/base.yaml:6", "Plan: 0 to add, 4 to change");

        SystemTests.Result apply = agent(repo, state, "apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(apply.stdout()).contains("Apply: 0 added, 4 changed, 0 removed");
        assertThat(inside("cat", "/proc/sys/net/core/somaxconn").strip()).isEqualTo("1024");
        assertThat(inside("cat", "/proc/sys/net/ipv4/ip_local_port_range").strip()).isEqualTo("20000\t60999");
        String persisted = inside("cat", "/etc/sysctl.d/90-devbox-agent.conf");
        assertThat(persisted).startsWith("# Managed by devbox-agent").contains(
                "net.core.somaxconn = 1024\nnet.ipv4.ip_local_port_range = 20000 60999\nnet.ipv4.tcp_fin_timeout = 30\nnet.ipv4.tcp_keepalive_time = 600\n");

        SystemTests.Result again = agent(repo, state, "plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as("a second plan is empty: tabs vs spaces must not flap\n" + again.all()).isZero();
        assertThat(again.stdout()).contains("Plan: 0 to add, 0 to change, 0 to remove, 4 unchanged.");

        inside("sh", "-c", "echo 2048 > /proc/sys/net/core/somaxconn");
        inside("sh", "-c", "sed -i 's/tcp_fin_timeout = 30/tcp_fin_timeout = 45/' /etc/sysctl.d/90-devbox-agent.conf");
        SystemTests.Result drift = agent(repo, state, "plan", "--detailed-exitcode");
        assertThat(drift.exitCode()).as(drift.all()).isEqualTo(2);
        assertThat(drift.stdout()).contains("! sysctl[net.core.somaxconn]  drift", "runtime     2048 -> 1024",
                "! sysctl[net.ipv4.tcp_fin_timeout]  drift", "persisted   45 -> 30", "(2 of them drift)");
        SystemTests.Result report = agent(repo, state, "drift", "--format", "json");
        assertThat(report.exitCode()).as(report.all()).isEqualTo(2);
        assertThat(report.stdout()).contains("\"status\" : \"drift\"", "\"id\" : \"sysctl[net.core.somaxconn]\"");

        SystemTests.Result fix = agent(repo, state, "apply", "--yes");
        assertThat(fix.exitCode()).as(fix.all()).isZero();
        assertThat(agent(repo, state, "drift").exitCode()).isZero();
        assertThat(inside("cat", "/proc/sys/net/core/somaxconn").strip()).isEqualTo("1024");
    }

    @Test
    void missingAndReadOnlyKeysArePerResourceErrors() throws Exception {
        Path repo = repoWith("""
                    net.core.netdev_max_backlog: 2000
                    net.core.rmem_max: 123457
                    net.ipv4.tcp_fin_timeout: 25
                """);
        Path state = tmp.resolve("state");
        SystemTests.Result plan = agent(repo, state, "plan");
        assertThat(plan.exitCode()).as(plan.all()).isEqualTo(1);
        assertThat(plan.stdout()).contains("x sysctl[net.core.netdev_max_backlog]  error", "does not exist",
                "x sysctl[net.core.rmem_max]  error", "is read-only here", "~ sysctl[net.ipv4.tcp_fin_timeout]");
        assertThat(plan.all()).doesNotContain("Exception", "\tat ");

        SystemTests.Result apply = agent(repo, state, "apply", "--yes");
        assertThat(apply.exitCode()).as("a failing resource makes the run exit 1\n" + apply.all()).isEqualTo(1);
        assertThat(inside("cat", "/proc/sys/net/ipv4/tcp_fin_timeout").strip())
                .as("independent resources are still applied").isEqualTo("25");
        assertThat(apply.stdout()).contains("Apply: 0 added, 1 changed", "2 failed");
    }
}
