package io.devbox.agent.kinds.systemd;

import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit kind against a real systemd (TESTING.md R3a): the agent's jar and this JDK are bind-mounted read-only
 * into a systemd-nspawn container and {@code agent apply} runs inside it through nsenter, on profiles in a
 * directory bind-mounted from the host. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnitNspawnSystemTest {
    private static final String HELLO = "devbox-hello.service";
    private static final String FAIL = "devbox-fail.service";
    private static final String VENDOR = "systemd-networkd.service";

    private Path work;
    private Path repo;
    private NspawnContainer box;
    private String javaHome;

    @BeforeAll
    void boot() throws Exception {
        NspawnContainer.requirePrerequisites();
        Path jar = SystemTests.agentJar();
        javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();
        work = Files.createTempDirectory("devbox-nspawn-test");
        repo = Files.createDirectories(work.resolve("repo"));
        Files.createDirectories(repo.resolve("profiles"));
        List<String> binds = new ArrayList<>(List.of(javaHome, jar + ":/agent.jar", repo + ":/repo"));
        // Debian's JDK links its conf/ and security files into /etc/java-17-openjdk
        Path javaEtc = Path.of("/etc/java-" + Runtime.version().feature() + "-openjdk");
        if (Files.isDirectory(javaEtc)) binds.add(javaEtc.toString());
        box = NspawnContainer.boot(binds, work);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (box != null) box.close();
        } finally {
            if (work != null) try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private void profile(String units) throws IOException {
        Files.writeString(repo.resolve("profiles/test.yaml"), """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: units}
                spec:
                  systemd:
                    units:
                """ + units.indent(6));
    }

    private SystemTests.Result agent(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(javaHome + "/bin/java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", "/agent.jar"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", "/repo", "--worktree", "--root", "/", "--no-color"));
        return box.exec(argv, Duration.ofMinutes(3));
    }

    private static String hello(String description, String dropins) {
        return HELLO + ":\n  content: |\n    [Unit]\n    Description=" + description
                + "\n    [Service]\n    ExecStart=/bin/sleep infinity\n    [Install]\n    WantedBy=multi-user.target\n"
                + dropins + "  enabled: true\n  state: started\n";
    }

    private String mainPid() throws Exception {
        return box.show(HELLO, "MainPID") + "@" + box.show(HELLO, "ActiveEnterTimestampMonotonic");
    }

    @Test
    @Order(1)
    void aUnitIsWrittenEnabledAndStarted() throws Exception {
        profile(hello("devbox hello v1", ""));
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Apply: 1 added");
        assertThat(box.show(HELLO, "ActiveState")).isEqualTo("active");
        assertThat(box.show(HELLO, "UnitFileState")).isEqualTo("enabled");
        assertThat(box.show(HELLO, "Description")).isEqualTo("devbox hello v1");
        assertThat(box.show(HELLO, "NeedDaemonReload")).isEqualTo("no");
        // written into the container's volatile overlay, never into the cached rootfs
        assertThat(box.root().resolve("etc/systemd/system/" + HELLO)).exists();
        assertThat(NspawnContainer.CACHE.resolve("etc/systemd/system/" + HELLO)).doesNotExist();
    }

    @Test
    @Order(2)
    void aSecondRunChangesNothingAndDoesNotRestart() throws Exception {
        String before = mainPid();
        SystemTests.Result plan = agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(mainPid()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aContentChangeReloadsAndRestarts() throws Exception {
        String before = mainPid();
        profile(hello("devbox hello v2", ""));
        SystemTests.Result plan = agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isEqualTo(2);
        assertThat(plan.stdout()).contains("content", "restart");
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(box.show(HELLO, "Description")).isEqualTo("devbox hello v2");
        assertThat(box.show(HELLO, "NeedDaemonReload")).isEqualTo("no");
        assertThat(box.show(HELLO, "ActiveState")).isEqualTo("active");
        assertThat(mainPid()).isNotEqualTo(before);
    }

    @Test
    @Order(4)
    void aDropinChangeReloadsAndRestarts() throws Exception {
        String before = mainPid();
        profile(hello("devbox hello v2", "  dropins:\n    10-env.conf: |\n      [Service]\n      Environment=DEVBOX_MARK=1\n"));
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(box.show(HELLO, "Environment")).isEqualTo("DEVBOX_MARK=1");
        assertThat(box.show(HELLO, "DropInPaths")).isEqualTo("/etc/systemd/system/" + HELLO + ".d/10-env.conf");
        String afterFirst = mainPid();
        assertThat(afterFirst).isNotEqualTo(before);

        profile(hello("devbox hello v2", "  dropins:\n    10-env.conf: |\n      [Service]\n      Environment=DEVBOX_MARK=2\n"));
        r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(box.show(HELLO, "Environment")).isEqualTo("DEVBOX_MARK=2");
        assertThat(box.show(HELLO, "NeedDaemonReload")).isEqualTo("no");
        assertThat(mainPid()).isNotEqualTo(afterFirst);
    }

    @Test
    @Order(5)
    void disablingAndStopping() throws Exception {
        profile(hello("devbox hello v2", "  dropins:\n    10-env.conf: |\n      [Service]\n      Environment=DEVBOX_MARK=2\n")
                .replace("enabled: true", "enabled: false").replace("state: started", "state: stopped"));
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(box.show(HELLO, "ActiveState")).isEqualTo("inactive");
        assertThat(box.show(HELLO, "UnitFileState")).isEqualTo("disabled");
        assertThat(agent("plan", "--detailed-exitcode").exitCode()).isZero();
    }

    @Test
    @Order(6)
    void maskingAndUnmaskingAUnitTheAgentDoesNotOwn() throws Exception {
        String base = hello("devbox hello v2", "").replace("enabled: true", "enabled: false").replace("state: started", "state: stopped");
        profile(base + VENDOR + ": {enabled: masked, state: stopped}\n");
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(box.show(VENDOR, "UnitFileState")).isEqualTo("masked");
        assertThat(Files.readSymbolicLink(box.root().resolve("etc/systemd/system/" + VENDOR))).isEqualTo(Path.of("/dev/null"));

        profile(base + VENDOR + ": {enabled: false}\n");
        r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(box.show(VENDOR, "UnitFileState")).isEqualTo("disabled");
        assertThat(box.root().resolve("lib/systemd/system/" + VENDOR)).exists();
    }

    @Test
    @Order(7)
    void aFailingUnitReportsItsStatusAndJournal() throws Exception {
        String base = hello("devbox hello v2", "").replace("enabled: true", "enabled: false").replace("state: started", "state: stopped");
        profile(base + VENDOR + ": {enabled: false}\n" + FAIL + ":\n  content: |\n    [Service]\n"
                + "    ExecStart=/bin/sh -c 'echo devbox-boom-marker; exit 3'\n  state: started\n");
        SystemTests.Result r = agent("apply", "--yes");
        System.out.println("agent apply with a failing unit:\n" + r.all());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("unit[" + FAIL + "]", "failed", "devbox-boom-marker", "status=3");
        assertThat(box.show(FAIL, "ActiveState")).isEqualTo("failed");
    }

    @Test
    @Order(8)
    void unitsRemovedFromTheProfileArePruned() throws Exception {
        profile(VENDOR + ": {enabled: false}\n");
        SystemTests.Result plan = agent("plan");
        assertThat(plan.stdout()).contains("- unit[" + HELLO + "]", "- unit[" + FAIL + "]");
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        for (String u : List.of(HELLO, FAIL)) {
            assertThat(box.show(u, "LoadState")).as(u).isEqualTo("not-found");
            assertThat(box.root().resolve("etc/systemd/system/" + u)).doesNotExist();
        }
        assertThat(box.root().resolve("etc/systemd/system/" + HELLO + ".d")).doesNotExist();
        // a unit the agent never wrote is not deleted
        assertThat(box.root().resolve("lib/systemd/system/" + VENDOR)).exists();
        assertThat(agent("plan", "--detailed-exitcode").exitCode()).isZero();
    }

    @Test
    @Order(9)
    void aSliceDropinPersistsCgroupLimitsAndAUnitInTheSliceComesAfterIt() throws Exception {
        // the container's own cgroup files are not writable here: a v2-shaped tree stands in for the runtime layer,
        // while the persisted layer (the slice drop-in) goes to the real systemd
        Path fakeCgroup = Files.createDirectories(box.root().resolve("tmp/devbox-cg"));
        Files.writeString(fakeCgroup.resolve("cgroup.controllers"), "cpu pids\n");
        Files.writeString(fakeCgroup.resolve("cgroup.subtree_control"), "cpu pids\n");
        Files.writeString(repo.resolve("profiles/test.yaml"), """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: units}
                spec:
                  cgroups:
                    devbox-test.slice: {pids: {max: 64}, cpu: {weight: 200}}
                  systemd:
                    units:
                      devbox-sliced.service:
                        content: |
                          [Service]
                          Slice=devbox-test.slice
                          ExecStart=/bin/sleep infinity
                        state: started
                """);
        SystemTests.Result plan = agent("plan", "--json", "--cgroup-dir", "/tmp/devbox-cg");
        // the implicit edge from Slice= to the declared cgroup, and the plan ordered by it
        assertThat(plan.stdout()).containsPattern("(?s)\"id\" : \"unit\\[devbox-sliced.service]\".*?\"dependsOn\" : \\[ \"cgroup\\[devbox-test.slice]\" ]");
        assertThat(plan.stdout().indexOf("\"id\" : \"cgroup[devbox-test.slice]\"")).isNotNegative()
                .isLessThan(plan.stdout().indexOf("\"id\" : \"unit[devbox-sliced.service]\""));
        SystemTests.Result r = agent("apply", "--yes", "--cgroup-dir", "/tmp/devbox-cg");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(Files.readString(box.root().resolve("etc/systemd/system/devbox-test.slice.d/50-devbox-agent.conf")))
                .contains("[Slice]\nTasksMax=64\nCPUWeight=200\n");
        assertThat(box.show("devbox-test.slice", "TasksMax")).isEqualTo("64");
        assertThat(box.show("devbox-test.slice", "CPUWeight")).isEqualTo("200");
        assertThat(box.show("devbox-sliced.service", "Slice")).isEqualTo("devbox-test.slice");
        assertThat(box.show("devbox-sliced.service", "ActiveState")).isEqualTo("active");
        assertThat(Files.readString(fakeCgroup.resolve("devbox-test.slice/pids.max"))).isEqualTo("64");
        assertThat(agent("plan", "--detailed-exitcode", "--cgroup-dir", "/tmp/devbox-cg").exitCode()).isZero();
    }
}
