package io.devbox.agent.kinds.packages;

import io.devbox.agent.kinds.systemd.NspawnContainer;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages kind with the real apt and dpkg of a Debian 12 systemd container (TESTING.md R3a), against a local apt
 * repository the test builds with dpkg-deb and apt-ftparchive and bind-mounts read-only. The container's own sources
 * are replaced by that repository (it has no network). {@code apt-get} and {@code apt-cache} are wrapped in
 * /usr/local/sbin by scripts that log every call, so that a step can show which apt commands the agent ran. The steps
 * build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagesNspawnSystemTest {
    private static final String HELLO = "devbox-t-hello";
    private static final String EXTRA = "devbox-t-extra";
    private static final String HELD = "devbox-t-held";
    private static final String SLOW = "devbox-t-slow";
    private static final String MANUAL = "devbox-t-manual";
    private static final String APT_LOG = "/run/devbox-apt.log";
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Path work;
    private Path repo;
    private NspawnContainer box;
    private String javaHome;

    @BeforeAll
    void boot() throws Exception {
        NspawnContainer.requirePrerequisites();
        LocalAptRepo.requirePrerequisites();
        Path jar = SystemTests.agentJar();
        javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();
        work = Files.createTempDirectory("devbox-packages-test");
        // apt reads file: repositories as its sandbox user _apt
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        repo = Files.createDirectories(work.resolve("repo/profiles")).getParent();
        String waitForRelease = "touch /run/devbox-t-slow-started\ni=0\n"
                + "while [ ! -e /run/devbox-t-release ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done";
        LocalAptRepo apt = new LocalAptRepo(work.resolve("apt"))
                .add(HELLO, "1.0-1", null, null).add(HELLO, "1.1-1", null, null).add(HELLO, "2.0-1", null, null)
                .add(EXTRA, "1.0-1", null, null)
                .add(HELD, "1.0-1", null, null).add(HELD, "2.0-1", null, null)
                .add(MANUAL, "1.0-1", null, null)
                .add(SLOW, "1.0-1", null, waitForRelease)
                .index();
        List<String> binds = new ArrayList<>(List.of(javaHome, jar + ":/agent.jar", repo + ":/repo", apt.dir() + ":/aptrepo"));
        Path javaEtc = Path.of("/etc/java-" + Runtime.version().feature() + "-openjdk");
        if (Files.isDirectory(javaEtc)) binds.add(javaEtc.toString());
        box = NspawnContainer.boot(binds, work);
        in("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/* && "
                + "echo 'deb [trusted=yes] file:/aptrepo ./' > /etc/apt/sources.list.d/devbox-test.list && "
                + "for t in apt-get apt-cache; do printf '#!/bin/sh\\necho \"%s $*\" >> " + APT_LOG + "\\nexec /usr/bin/%s \"$@\"\\n' $t $t"
                + " > /usr/local/sbin/$t && chmod 755 /usr/local/sbin/$t; done && "
                + "/usr/bin/apt-get update -q && /usr/bin/apt-get install -y -q " + MANUAL);
        assertThat(installed(MANUAL)).isEqualTo("1.0-1");
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

    /** Runs a shell command in the container and fails unless it exits 0. */
    private String in(String script) throws IOException, InterruptedException {
        SystemTests.Result r = box.exec(List.of("sh", "-c", script), Duration.ofMinutes(3));
        assertThat(r.exitCode()).as(script + "\n" + r.all()).isZero();
        return r.stdout();
    }

    /** The installed version of a package (held or not), or dpkg's status letters when it is not installed. */
    private String installed(String name) throws IOException, InterruptedException {
        SystemTests.Result r = box.exec(List.of("dpkg-query", "-W", "-f=${db:Status-Abbrev}|${Version}", "--", name));
        String[] f = r.stdout().split("\\|", -1);
        return f.length == 2 && f[0].length() >= 2 && f[0].charAt(1) == 'i' ? f[1] : "not installed (" + r.stdout().strip() + r.stderr().strip() + ")";
    }

    private void profile(String packages) throws IOException {
        Files.writeString(repo.resolve("profiles/test.yaml"), """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: packages}
                spec:
                  packages:
                """ + packages.indent(4));
    }

    private SystemTests.Result agent(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("env", "PATH=" + PATH, javaHome + "/bin/java", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", "/agent.jar"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", "/repo", "--worktree", "--root", "/", "--no-color"));
        return box.exec(argv, Duration.ofMinutes(3));
    }

    /** The apt commands logged since the last call, and a fresh log. */
    private List<String> aptCalls() throws IOException, InterruptedException {
        String log = in("cat " + APT_LOG + " 2>/dev/null; rm -f " + APT_LOG);
        return log.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    @Order(1)
    void installsAPinnedVersionAndAPackageInOneAptGet() throws Exception {
        profile("""
                apt: {devbox-t-hello: "1.0-1", devbox-t-extra: present, devbox-t-manual: present}
                updateCacheAfter: 24h
                """);
        SystemTests.Result plan = agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isEqualTo(2);
        assertThat(plan.stdout()).contains("+ package[devbox-t-hello]", "(absent) -> 1.0-1", "+ package[devbox-t-extra]");
        assertThat(plan.stdout()).doesNotContain("package[devbox-t-manual]  ");
        aptCalls();
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(HELLO)).isEqualTo("1.0-1");
        assertThat(installed(EXTRA)).isEqualTo("1.0-1");
        assertThat(in("cat /usr/share/devbox-t-hello/VERSION")).isEqualTo("1.0-1\n");
        List<String> installs = aptCalls().stream().filter(l -> l.startsWith("apt-get install") && !l.contains(" -s ")).toList();
        assertThat(installs).singleElement().satisfies(l -> assertThat(l).contains("--no-install-recommends",
                "Dpkg::Options::=--force-confold", "devbox-t-hello=1.0-1", "devbox-t-extra").doesNotContain(MANUAL));
    }

    @Test
    @Order(2)
    void aSecondApplyRunsNoAptCommandAtAll() throws Exception {
        SystemTests.Result plan = agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(aptCalls()).isEmpty();
    }

    @Test
    @Order(3)
    void aNewPinUpgradesAndLatestFollowsTheCandidate() throws Exception {
        profile("""
                apt: {devbox-t-hello: "1.1-1", devbox-t-extra: present, devbox-t-manual: present}
                """);
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(HELLO)).isEqualTo("1.1-1");
        profile("""
                apt: {devbox-t-hello: latest, devbox-t-extra: present, devbox-t-manual: present}
                """);
        SystemTests.Result plan = agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isEqualTo(2);
        assertThat(plan.stdout()).contains("1.1-1 -> 2.0-1");
        r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(HELLO)).isEqualTo("2.0-1");
        assertThat(in("cat /usr/share/devbox-t-hello/VERSION")).isEqualTo("2.0-1\n");
    }

    @Test
    @Order(4)
    void absentRemovesWithoutAutoremove() throws Exception {
        profile("""
                apt: {devbox-t-hello: latest, devbox-t-extra: absent, devbox-t-manual: present}
                """);
        aptCalls();
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(EXTRA)).startsWith("not installed");
        assertThat(aptCalls()).noneMatch(l -> l.contains("autoremove") || l.contains("purge"));
        assertThat(agent("plan", "--detailed-exitcode").exitCode()).isZero();
    }

    @Test
    @Order(5)
    void anUnknownPackageOrVersionIsAnErrorOfThatPackageInAptsWords() throws Exception {
        profile("""
                apt: {devbox-t-hello: latest, devbox-t-extra: "9.9-1", devbox-t-nosuch: present, devbox-t-manual: present}
                """);
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("package[devbox-t-nosuch]", "E: Unable to locate package devbox-t-nosuch",
                "package[devbox-t-extra]", "E: Version '9.9-1' for 'devbox-t-extra' was not found");
        assertThat(r.all()).doesNotContain("Exception");
        assertThat(installed(HELLO)).isEqualTo("2.0-1");
        assertThat(installed(EXTRA)).startsWith("not installed");
    }

    @Test
    @Order(6)
    void aHeldPackageIsAnErrorAndStaysAsItIs() throws Exception {
        in("/usr/bin/apt-get install -y -q " + HELD + "=1.0-1 && apt-mark hold " + HELD);
        profile("""
                apt: {devbox-t-hello: latest, devbox-t-held: "2.0-1", devbox-t-extra: present, devbox-t-manual: present}
                """);
        SystemTests.Result plan = agent("plan");
        assertThat(plan.all()).contains("package[devbox-t-held]", "is held", "apt-mark unhold devbox-t-held",
                "E: Held packages were changed");
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(installed(HELD)).isEqualTo("1.0-1");
        assertThat(in("apt-mark showhold")).contains(HELD);
        // the others converge all the same
        assertThat(installed(EXTRA)).isEqualTo("1.0-1");
    }

    @Test
    @Order(7)
    void aDpkgLockHeldByAnotherProcessIsWaitedForThenNamed() throws Exception {
        in("apt-mark unhold " + HELD + " && rm -f /run/devbox-t-release /run/devbox-t-slow-started");
        Process other = new ProcessBuilder("nsenter", "-t", Long.toString(box.leader()), "-a", "-r", "-w",
                "/usr/bin/apt-get", "install", "-y", "-q", SLOW).redirectErrorStream(true)
                .redirectOutput(work.resolve("slow.log").toFile()).start();
        try {
            Path started = box.root().resolve("run/devbox-t-slow-started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(started) && System.nanoTime() < deadline && other.isAlive()) Thread.sleep(100);
            assertThat(started).as(Files.readString(work.resolve("slow.log"))).exists();
            profile("""
                    apt: {devbox-t-hello: latest, devbox-t-held: "2.0-1", devbox-t-extra: absent, devbox-t-manual: present}
                    lockTimeout: 3s
                    """);
            long t0 = System.nanoTime();
            SystemTests.Result r = agent("apply", "--yes");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            assertThat(r.all()).contains("package[devbox-t-held]", "package[devbox-t-extra]",
                    "another package manager is running: waited 3s for /var/lib/dpkg/lock-frontend, held by process",
                    "(apt-get)");
            // one wait for the run, not one per package
            assertThat(seconds).as(r.all()).isLessThan(30);
            assertThat(installed(HELD)).isEqualTo("1.0-1");
        } finally {
            in("touch /run/devbox-t-release");
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(other.exitValue()).as(Files.readString(work.resolve("slow.log"))).isZero();
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(HELD)).isEqualTo("2.0-1");
        assertThat(installed(EXTRA)).startsWith("not installed");
    }

    @Test
    @Order(8)
    void packagesThatLeaveTheProfilesStayUnlessPruneAndOnlyWhatTheAgentInstalled() throws Exception {
        profile("""
                apt: {devbox-t-held: "2.0-1"}
                """);
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(HELLO)).isEqualTo("2.0-1");
        profile("""
                apt: {devbox-t-held: "2.0-1"}
                prune: true
                """);
        SystemTests.Result plan = agent("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isEqualTo(2);
        assertThat(plan.stdout()).contains("- package[devbox-t-hello]", "no longer listed (prune)").doesNotContain(MANUAL);
        r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(installed(HELLO)).startsWith("not installed");
        // installed by hand before the agent listed it: the agent never installed it, so prune leaves it
        assertThat(installed(MANUAL)).isEqualTo("1.0-1");
        assertThat(agent("plan", "--detailed-exitcode").exitCode()).isZero();
    }
}
