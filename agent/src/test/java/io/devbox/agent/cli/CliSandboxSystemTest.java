package io.devbox.agent.cli;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The built agent as a process on a --root sandbox: what a user sees, and what it must never do. */
class CliSandboxSystemTest {
    @TempDir
    Path tmp;
    Path root;
    Path repo;
    Path state;

    @BeforeEach
    void box() throws Exception {
        root = tmp.resolve("box");
        Sandboxes.sysctls(root, Map.of("vm.swappiness", "60", "net.core.somaxconn", "4096",
                "net.ipv4.ip_local_port_range", "32768\t60999"));
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        repo = GitRepos.init(tmp.resolve("fleet"));
        state = tmp.resolve("state");
        commit("""
                spec:
                  sysctl:
                    vm.swappiness: 10
                    net.core.somaxconn: 1024
                """);
    }

    private void commit(String spec) throws Exception {
        GitRepos.commitFile(repo, "profiles/base.yaml", "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\n" + spec, "profile");
    }

    private SystemTests.Result agent(String... args) throws Exception {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        return SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(1));
    }

    private SystemTests.Result onBox(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(), "--hostname", "dev-1"));
        return agent(all.toArray(String[]::new));
    }

    /**
     * The start-up archive the build makes holds every class of the agent that a plan of the bundled profiles loads,
     * lambdas included (one per call site: alike lambdas at two call sites need two archived proxies), so that none is
     * loaded from the jar or spun at run time: what keeps a plan's start-up short. Run twice on one state directory,
     * as on a box (the second run reads what the first wrote). JGit's message bundle stays unloaded.
     */
    @Test
    void aPlanOfTheBundledProfilesTakesEveryAgentClassFromTheStartupArchive() throws Exception {
        Path launcher = SystemTests.agentLauncher();
        Path archive = launcher.getParent().resolve("../target/devbox-agent.jsa").normalize();
        SystemTests.require(Files.isRegularFile(archive), "the build made no start-up archive (this JVM cannot dump one): " + archive);
        Path checkout = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
        for (String format : List.of("--no-color", "--json")) {
            Path log = tmp.resolve("classes" + format + ".log");
            SystemTests.Result r = SystemTests.run(List.of(launcher.toString(), "plan", "--repo", checkout.toString(), "--root",
                            sandbox.toString(), "--sysctl-dir", "/proc/sys", "--state-dir", sandbox.resolve("state").toString(),
                            "--hostname", "dev-42", "--label", "team=backend", format),
                    Map.of("DEVBOX_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), tmp, Duration.ofMinutes(1));
            assertThat(r.exitCode()).as(r.all()).isZero();
            List<String> agentClasses = Files.readAllLines(log).stream().filter(l -> l.contains(" io.devbox.agent.")).toList();
            assertThat(agentClasses).as("classes of the agent loaded by plan " + format).hasSizeGreaterThan(300);
            assertThat(agentClasses).as("loaded from elsewhere than the archive").allMatch(l -> l.endsWith("source: shared objects file"));
            // JGit loads its message bundle (reflection over a thousand fields) only for its shutdown hook (JGitShutdown)
            assertThat(Files.readAllLines(log)).as("JGit's message bundle, loaded by a plan that reports no git error")
                    .noneMatch(l -> l.contains(" org.eclipse.jgit.internal.JGitText "));
        }
    }

    /**
     * JGit's classes for a team's repository come from the archive too, whatever the state of the checkout the build
     * trained in (a CI checkout may have a detached HEAD and only packed objects): a branch checked out (HEAD a symbolic
     * ref), packed refs and a loose one, objects in a pack and loose. Only lambdas JGit makes in a class initialiser
     * (which no archive holds) are made at run time.
     */
    @Test
    void aPlanOfATeamsRepositoryTakesJGitsClassesFromTheStartupArchive() throws Exception {
        Path launcher = SystemTests.agentLauncher();
        Path archive = launcher.getParent().resolve("../target/devbox-agent.jsa").normalize();
        SystemTests.require(Files.isRegularFile(archive), "the build made no start-up archive (this JVM cannot dump one): " + archive);
        GitRepos.git(repo, "repack", "-adq");
        GitRepos.git(repo, "pack-refs", "--all");
        GitRepos.commitFile(repo, "README", "the team's profiles\n", "readme");
        Path log = tmp.resolve("classes.log");

        SystemTests.Result r = SystemTests.run(List.of(launcher.toString(), "plan", "--repo", repo.toString(), "--root",
                        root.toString(), "--state-dir", state.toString(), "--hostname", "dev-1"),
                Map.of("DEVBOX_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), tmp, Duration.ofMinutes(1));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(GitRepos.git(repo, "symbolic-ref", "HEAD")).isEqualTo("refs/heads/main");
        List<String> jgit = Files.readAllLines(log).stream().filter(l -> l.contains(" org.eclipse.jgit.")).toList();
        assertThat(jgit).as("JGit classes loaded by the plan").hasSizeGreaterThan(200);
        assertThat(jgit).as("loaded from elsewhere than the archive")
                .allMatch(l -> l.endsWith("source: shared objects file") || l.contains("$$Lambda"));
    }

    @Test
    void anInvalidProfileIsReportedWithPositionsAndChangesNothing() throws Exception {
        assertThat(onBox("apply", "--yes").exitCode()).isZero();
        Files.writeString(root.resolve("proc/sys/vm/swappiness"), "33\n");
        String before = TreeHash.of(root);
        commit("""
                spec:
                  sysctl:
                    vm.swappiness: "${nope}"
                    net.core.somaxconn: [1]
                  cgroupz: {}
                """);
        for (String[] cmd : List.of(new String[]{"validate"}, new String[]{"plan"}, new String[]{"apply", "--yes"}, new String[]{"drift"})) {
            SystemTests.Result r = onBox(cmd);
            assertThat(r.exitCode()).as(String.join(" ", cmd) + "\n" + r.all()).isEqualTo(1);
            assertThat(r.stderr()).contains("profiles/base.yaml:6:21: unknown variable ${nope}", "profiles/base.yaml:7:25:",
                    "profiles/base.yaml:8:3: spec.cgroupz: unknown resource kind 'cgroupz'", "nothing was changed");
            assertThat(r.all()).doesNotContain("Exception", "\tat ");
        }
        assertThat(TreeHash.of(root)).as("the sandbox is byte for byte unchanged").isEqualTo(before);
    }

    @Test
    void aSavedPlanIsAppliedAsPlannedAndRefusesWhatMovedSince() throws Exception {
        Path planFile = tmp.resolve("plan.json");
        SystemTests.Result plan = onBox("plan", "--out", planFile.toString());
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        commit("spec:\n  sysctl:\n    vm.swappiness: 99\n");
        Files.writeString(root.resolve("proc/sys/net/core/somaxconn"), "2048\n");

        SystemTests.Result apply = onBox("apply", planFile.toString());
        assertThat(apply.exitCode()).as(apply.all()).isEqualTo(1);
        assertThat(apply.stdout()).contains("x sysctl[net.core.somaxconn]", "failed: refused: the probed state moved since the plan was made");
        assertThat(Files.readString(root.resolve("proc/sys/vm/swappiness")).strip())
                .as("applied at the plan's commit, not the newer one").isEqualTo("10");
        assertThat(Files.readString(root.resolve("proc/sys/net/core/somaxconn")).strip()).isEqualTo("2048");

        SystemTests.Result garbage = onBox("apply", tmp.resolve("nope.json").toString());
        assertThat(garbage.exitCode()).isEqualTo(1);
        assertThat(garbage.stderr()).contains("no plan file");
    }

    @Test
    void aSecondRunWaitsThenNamesTheHolder() throws Exception {
        List<String> hold = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.devbox.agent.testing.HoldLock", state.resolve("lock").toString());
        Files.createDirectories(state);
        Process holder = new ProcessBuilder(hold).redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine()).isEqualTo("held");
            SystemTests.Result r = onBox("apply", "--yes", "--lock-wait", "1");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("another agent run holds the lock", "pid " + holder.pid(), "agent apply");
            assertThat(Files.readString(root.resolve("proc/sys/vm/swappiness")).strip()).isEqualTo("60");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(onBox("apply", "--yes", "--lock-wait", "1").exitCode()).as("the lock died with its holder").isZero();
    }

    @Test
    void commonOptionsGoBeforeOrAfterTheCommandAndJsonIsOneDocument() throws Exception {
        SystemTests.Result before = agent("--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "plan", "--json");
        SystemTests.Result after = onBox("plan", "--json");
        assertThat(before.exitCode()).as(before.all()).isZero();
        JsonNode a = JsonMapper.builder().build().readTree(before.stdout());
        JsonNode b = JsonMapper.builder().build().readTree(after.stdout());
        assertThat(a.path("resources")).isEqualTo(b.path("resources"));
        assertThat(a.path("formatVersion").asInt()).isEqualTo(1);
        assertThat(a.path("host").path("hostname").asString()).isEqualTo("dev-1");
        assertThat(a.path("source").path("commit").asString()).hasSize(40);
        assertThat(a.path("summary").path("change").asInt()).isEqualTo(2);
        JsonNode swap = null;
        for (JsonNode r : a.path("resources")) if (r.path("id").asString().equals("sysctl[vm.swappiness]")) swap = r;
        assertThat(swap.path("status").asString()).isEqualTo("change");
        assertThat(swap.path("origin").path("file").asString()).isEqualTo("profiles/base.yaml");
        assertThat(swap.path("changes").get(0).path("from").asString()).isEqualTo("60");

        SystemTests.Result detailed = onBox("plan", "--detailed-exitcode", "--no-color");
        assertThat(detailed.exitCode()).isEqualTo(2);
        assertThat(detailed.stdout()).doesNotContain("\u001b[").contains("Plan: 0 to add, 2 to change, 0 to remove, 0 unchanged.");
        assertThat(onBox("apply", "--yes").exitCode()).isZero();
        assertThat(onBox("plan", "--detailed-exitcode").exitCode()).isZero();
        SystemTests.Result status = onBox("status", "--json");
        assertThat(JsonMapper.builder().build().readTree(status.stdout()).path("lastRun").path("command").asString()).isEqualTo("plan");

        SystemTests.Result noTty = onBox("apply");
        assertThat(noTty.exitCode()).as("no changes pending: nothing to confirm").isZero();
        Files.writeString(root.resolve("proc/sys/vm/swappiness"), "1\n");
        noTty = onBox("apply");
        assertThat(noTty.exitCode()).isEqualTo(1);
        assertThat(noTty.stderr()).contains("not applying without confirmation");
        assertThat(Files.readString(root.resolve("proc/sys/vm/swappiness")).strip()).isEqualTo("1");
    }

    @Test
    void helpCompletionSchemaAndVersion() throws Exception {
        assertThat(agent("--help").stdout()).contains("plan", "apply", "drift", "Exit codes");
        assertThat(agent("completion", "bash").stdout()).contains("complete -F", "agent");
        assertThat(agent("schema", "sysctl").stdout()).contains("spec.sysctl");
        assertThat(agent("schema").stdout()).contains("\"$schema\"");
        assertThat(agent("version").stdout()).startsWith("devbox-agent ");
        SystemTests.Result bad = agent("plan", "--bogus");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("Unknown option: '--bogus'").doesNotContain("Exception");
    }

    @Test
    void theLauncherRunsFromAnyDirectoryAndAReadOnlyCheckout() throws Exception {
        SystemTests.requireRoot();
        SystemTests.requireCommand("unshare");
        Path launcher = Path.of(System.getProperty("agent.launcher", "bin/agent")).toAbsolutePath();
        Path checkout = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        SystemTests.Result r = SystemTests.run(List.of(launcher.toString(), "version"), Map.of(), tmp, Duration.ofMinutes(1));
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).startsWith("devbox-agent");
        String script = "mount --bind -o ro \"$1\" \"$1\" && cd / && \"$2\" plan --repo \"$3\" --root \"$4\" --state-dir \"$5\" --hostname dev-1";
        SystemTests.Result ro = SystemTests.run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                checkout.toString(), launcher.toString(), repo.toString(), root.toString(), state.toString()), Map.of(), tmp, Duration.ofMinutes(1));
        assertThat(ro.exitCode()).as(ro.all()).isZero();
        assertThat(ro.stdout()).contains("Plan: 0 to add, 2 to change");
        assertThat(ro.stderr()).isEmpty();
    }
}
