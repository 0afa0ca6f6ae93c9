package io.devbox.agent.enrol;

import io.devbox.agent.kinds.systemd.NspawnContainer;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package's whole life on a real systemd box (TESTING.md R3a, a rootfs with Debian's Java 17 runtime): lintian,
 * {@code apt-get install ./devbox-agent_*.deb}, {@code devbox-agent enroll} against a git daemon on the container's own
 * loopback, a pushed commit converging within two intervals, an upgrade to a higher version (state and config kept,
 * the service restarted), {@code leave --prune --yes}, {@code apt-get purge} (no file of the package left). One
 * container for the whole story: it boots in a second, the install and the agent's JVM starts are the cost.
 */
class DebianPackageSystemTest {
    private static final String PORT = "9418";
    private static final String REPO = "git://127.0.0.1:" + PORT + "/fleet";
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final String DEMO = "devbox-demo.service";

    @Test
    void installEnrolConvergeUpgradeLeaveAndPurge() throws Exception {
        NspawnContainer.requirePrerequisites(NspawnContainer.SYSTEMD_JRE17);
        for (String c : List.of("lintian", "dpkg-deb", "git")) SystemTests.requireCommand(c);
        Path deb = SystemTests.agentDeb();
        Phases phases = new Phases();

        Path work = Files.createTempDirectory("devbox-deb");
        NspawnContainer box = null;
        Process daemon = null;
        // lintian takes half a minute: it checks the package while the container runs the rest
        Path lintOut = work.resolve("lintian.txt");
        Process lintian = new ProcessBuilder("lintian", "--fail-on", "error", deb.toString()).redirectErrorStream(true)
                .redirectOutput(lintOut.toFile()).start();
        try {
            Path pkg = Files.createDirectories(work.resolve("pkg"));
            String version = SystemTests.sh(List.of("dpkg-deb", "-f", deb.toString(), "Version")).strip();
            Files.copy(deb, pkg.resolve(deb.getFileName()));
            String higher = version + ".1";
            Path upgrade = repack(deb, higher, work, pkg);

            Path bare = work.resolve("git/fleet");
            GitRepos.git(work, "init", "-q", "--bare", bare.toString());
            Path clone = GitRepos.init(work.resolve("clone"));
            GitRepos.commitFile(clone, "profiles/demo.yaml", profile("demo v1"), "demo unit v1");
            GitRepos.git(clone, "push", "-q", bare.toString(), "HEAD:refs/heads/main");
            GitRepos.git(bare, "symbolic-ref", "HEAD", "refs/heads/main");

            box = NspawnContainer.boot(NspawnContainer.SYSTEMD_JRE17, List.of(pkg + ":/pkg"), work);
            daemon = gitDaemon(box, work.resolve("git"));

            phases.done("boot");
            // install: the real apt, dependencies from the rootfs
            SystemTests.Result install = box.exec(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                    "/pkg/" + deb.getFileName()), Duration.ofMinutes(5));
            assertThat(install.exitCode()).as(install.all()).isZero();
            assertThat(query(box, "${Status} ${Version}")).isEqualTo("install ok installed " + version);
            assertThat(box.show("devbox-agent.service", "UnitFileState")).as("not enabled by the package").isEqualTo("disabled");
            assertThat(box.show("devbox-agent.service", "ActiveState")).isEqualTo("inactive");
            Path r = box.root();
            assertThat(r.resolve("usr/share/devbox-agent/devbox-agent.jar")).isRegularFile();
            assertThat(Files.readString(r.resolve("etc/devbox-agent/agent.yaml")).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))).as("the conffile enrols nothing").isEmpty();
            assertThat(r.resolve("usr/share/man/man1/devbox-agent-enroll.1.gz")).isRegularFile();
            assertThat(box.exec(List.of("bash", "-c", "source /usr/share/bash-completion/completions/devbox-agent && complete -p devbox-agent"))
                    .stdout()).contains("devbox-agent");
            assertThat(box.exec(List.of("sh", "-c", "zcat /usr/share/man/man1/devbox-agent-leave.1.gz")).stdout())
                    .contains(".TH DEVBOX\\-AGENT\\-LEAVE 1", "\\fB\\-\\-prune\\fR");

            phases.done("install");
            // the AppCDS archive postinst made fits the installed JRE (-Xshare:on fails when it does not); a stale or
            // missing one still starts; the JVM trigger makes it again
            Path jsa = r.resolve("var/cache/devbox-agent/devbox-agent.jsa");
            assertThat(jsa).isRegularFile();
            assertThat(Files.readString(r.resolve("var/cache/devbox-agent/devbox-agent.jsa.java")).strip())
                    .isEqualTo(box.exec(List.of("readlink", "-f", "/usr/bin/java")).stdout().strip());
            SystemTests.Result shared = box.exec(List.of("env", "DEVBOX_AGENT_JAVA_OPTS=-Xshare:on", "devbox-agent", "version"));
            assertThat(shared.exitCode()).as(shared.all()).isZero();
            assertThat(shared.stdout()).startsWith("devbox-agent ");
            Files.write(jsa, new byte[4096]);
            SystemTests.Result stale = box.exec(List.of("devbox-agent", "version"));
            assertThat(stale.exitCode()).as("a stale archive: " + stale.all()).isZero();
            assertThat(stale.stderr()).isEmpty();
            Files.delete(jsa);
            SystemTests.Result missing = box.exec(List.of("devbox-agent", "--help"));
            assertThat(missing.exitCode()).as("no archive: " + missing.all()).isZero();
            assertThat(missing.stdout()).startsWith("Usage: devbox-agent ");
            SystemTests.Result trigger = box.exec(List.of("sh", "-c",
                    "dpkg-trigger --no-await --by-package=openjdk-17-jre-headless /usr/lib/jvm && dpkg --triggers-only --pending"));
            assertThat(trigger.exitCode()).as(trigger.all()).isZero();
            assertThat(box.exec(List.of("env", "DEVBOX_AGENT_JAVA_OPTS=-Xshare:on", "devbox-agent", "version")).exitCode())
                    .as("archive remade by the trigger").isZero();

            phases.done("archive checks");
            // enrol against the git daemon on the container's loopback
            List<String> enrollCmd = List.of("devbox-agent", "enroll", "--repo", REPO, "--interval", INTERVAL.toSeconds() + "s",
                    "--label", "team=qa", "--no-color");
            SystemTests.Result enroll = box.exec(enrollCmd, Duration.ofMinutes(5));
            assertThat(enroll.exitCode()).as(enroll.all()).isZero();
            assertThat(enroll.stdout()).contains("+ unit[" + DEMO + "]", "Enrolled: wrote /etc/devbox-agent/agent.yaml",
                    "Enabled and started devbox-agent.service", "Result: ", " 0 error", "This box follows " + REPO);
            assertThat(box.exec(List.of("systemctl", "is-active", "devbox-agent")).stdout().strip()).isEqualTo("active");
            assertThat(box.exec(List.of("systemctl", "is-enabled", "devbox-agent")).stdout().strip()).isEqualTo("enabled");
            assertThat(box.exec(List.of("stat", "-c", "%U:%G %a", "/etc/devbox-agent", "/etc/devbox-agent/agent.yaml")).stdout())
                    .isEqualTo("root:root 755\nroot:root 644\n");
            assertThat(box.show(DEMO, "ActiveState")).isEqualTo("active");
            assertThat(box.show(DEMO, "Description")).isEqualTo("demo v1");
            String config = Files.readString(r.resolve("etc/devbox-agent/agent.yaml"));
            String agentPid = box.show("devbox-agent.service", "MainPID");

            SystemTests.Result again = box.exec(enrollCmd, Duration.ofMinutes(5));
            assertThat(again.exitCode()).as(again.all()).isZero();
            assertThat(again.stdout()).contains("Nothing changed: this box is already enrolled in " + REPO
                    + " and devbox-agent.service runs the agent.").doesNotContain("Enrolled", "Enabled");
            assertThat(Files.readString(r.resolve("etc/devbox-agent/agent.yaml"))).isEqualTo(config);
            assertThat(box.show("devbox-agent.service", "MainPID")).isEqualTo(agentPid);

            phases.done("enroll twice");
            // a pushed commit converges the box within two intervals
            GitRepos.commitFile(clone, "profiles/demo.yaml", profile("demo v2"), "demo unit v2");
            SystemTests.Result push = SystemTests.run(List.of("nsenter", "-t", Long.toString(box.leader()), "-n", "git", "-C",
                    clone.toString(), "push", "-q", REPO, "HEAD:refs/heads/main"), GitRepos.ENV, null, Duration.ofMinutes(1));
            assertThat(push.exitCode()).as(push.all()).isZero();
            long pushed = System.nanoTime();
            while (!box.show(DEMO, "Description").equals("demo v2")
                    && System.nanoTime() - pushed < INTERVAL.multipliedBy(3).toNanos()) {
                Thread.sleep(200);
            }
            Duration converged = Duration.ofNanos(System.nanoTime() - pushed);
            assertThat(box.show(DEMO, "Description")).isEqualTo("demo v2");
            assertThat(converged).as("converged after the push").isLessThanOrEqualTo(INTERVAL.multipliedBy(2));
            assertThat(box.show(DEMO, "ActiveState")).isEqualTo("active");

            phases.done("converge");
            // upgrade to a higher version: config and state kept, the running service restarted
            String applied = Files.readString(r.resolve("var/lib/devbox-agent/applied.json"));
            List<String> runs = names(r.resolve("var/lib/devbox-agent/runs"));
            SystemTests.Result up = box.exec(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                    "/pkg/" + upgrade.getFileName()), Duration.ofMinutes(5));
            assertThat(up.exitCode()).as(up.all()).isZero();
            assertThat(query(box, "${Status} ${Version}")).isEqualTo("install ok installed " + higher);
            assertThat(Files.readString(r.resolve("etc/devbox-agent/agent.yaml"))).isEqualTo(config);
            assertThat(names(r.resolve("var/lib/devbox-agent/runs"))).containsAll(runs);
            assertThat(r.resolve("var/lib/devbox-agent/applied.json")).exists();
            assertThat(applied).contains("unit[" + DEMO + "]");
            assertThat(box.show("devbox-agent.service", "ActiveState")).isEqualTo("active");
            assertThat(box.show("devbox-agent.service", "MainPID")).as("restarted").isNotEqualTo(agentPid);
            assertThat(box.show("devbox-agent.service", "UnitFileState")).isEqualTo("enabled");

            phases.done("upgrade");
            // leave: everything the agent created goes, the service is disabled
            SystemTests.Result leave = box.exec(List.of("devbox-agent", "leave", "--prune", "--yes", "--no-color"), Duration.ofMinutes(5));
            assertThat(leave.exitCode()).as(leave.all()).isZero();
            assertThat(leave.stdout()).contains("unit[" + DEMO + "]                      (no longer in any profile)", "Stopped and disabled devbox-agent.service",
                    "Removed what the agent applied", "Removed the enrolment");
            assertThat(box.show(DEMO, "LoadState")).isEqualTo("not-found");
            assertThat(r.resolve("etc/systemd/system/" + DEMO)).doesNotExist();
            assertThat(r.resolve("etc/systemd/system/multi-user.target.wants/" + DEMO)).doesNotExist();
            assertThat(box.show("devbox-agent.service", "UnitFileState")).isEqualTo("disabled");
            assertThat(box.show("devbox-agent.service", "ActiveState")).isEqualTo("inactive");
            assertThat(Files.readAllBytes(r.resolve("etc/devbox-agent/agent.yaml"))).isEqualTo(EnrolmentFile.unenrolled());
            SystemTests.Result leaveAgain = box.exec(List.of("devbox-agent", "leave", "--prune", "--yes"), Duration.ofMinutes(5));
            assertThat(leaveAgain.exitCode()).as(leaveAgain.all()).isZero();
            assertThat(leaveAgain.stdout()).contains("Nothing changed");

            phases.done("leave twice");
            // purge: no file of the package left, dpkg knows of none
            List<String> owned = box.exec(List.of("dpkg", "-L", "devbox-agent")).stdout().lines().filter(l -> l.startsWith("/")).toList();
            SystemTests.Result purge = box.exec(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y",
                    "devbox-agent"), Duration.ofMinutes(5));
            assertThat(purge.exitCode()).as(purge.all()).isZero();
            List<String> left = new ArrayList<>();
            for (String f : owned) {
                Path p = r.resolve(f.substring(1));
                if (Files.exists(p) && (!Files.isDirectory(p) || f.contains("devbox-agent"))) left.add(f);
            }
            for (String d : List.of("etc/devbox-agent", "var/lib/devbox-agent", "var/cache/devbox-agent", "var/log/devbox-agent.log",
                    "etc/systemd/system/multi-user.target.wants/devbox-agent.service")) {
                if (Files.exists(r.resolve(d), java.nio.file.LinkOption.NOFOLLOW_LINKS)) left.add("/" + d);
            }
            assertThat(left).as("left after purge").isEmpty();
            SystemTests.Result search = box.exec(List.of("dpkg", "-S", "devbox-agent"));
            assertThat(search.exitCode()).as(search.all()).isNotZero();
            assertThat(search.stdout()).isEmpty();
            assertThat(box.exec(List.of("dpkg-query", "-W", "devbox-agent")).exitCode()).isNotZero();
            phases.done("purge");
            assertThat(lintian.waitFor(5, TimeUnit.MINUTES)).as("lintian finished").isTrue();
            String lint = Files.readString(lintOut);
            assertThat(lintian.exitValue()).as(lint).isZero();
            assertThat(lint).as("lintian errors").doesNotContainPattern("(?m)^E: ");
            phases.done("lintian (rest)");
            System.out.println("DebianPackageSystemTest phases: " + phases + "; converged " + converged.toMillis() + " ms after the push");
        } finally {
            try {
                if (lintian.isAlive()) {
                    lintian.descendants().forEach(ProcessHandle::destroyForcibly);
                    lintian.destroyForcibly();
                }
                stop(daemon);
            } finally {
                try {
                    if (box != null) box.close();
                } finally {
                    try (Stream<Path> s = Files.walk(work)) {
                        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** How long each part took (printed: where the test's time goes). */
    private static final class Phases {
        private final StringBuilder out = new StringBuilder();
        private long last = System.nanoTime();

        void done(String phase) {
            long now = System.nanoTime();
            out.append(out.length() == 0 ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    private static String profile(String description) {
        return """
                apiVersion: devbox/v1
                kind: Profile
                metadata: {name: demo}
                selector:
                  labels: {team: qa}
                spec:
                  systemd:
                    units:
                      devbox-demo.service:
                        content: "[Unit]\\nDescription=%s\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n"
                        enabled: true
                        state: started
                """.formatted(description);
    }

    /** The same package with a higher version: what an upgrade installs (dpkg-deb, as a maintainer would rebuild it). */
    private static Path repack(Path deb, String version, Path work, Path into) throws Exception {
        Path tree = work.resolve("repack");
        SystemTests.sh(List.of("dpkg-deb", "-R", deb.toString(), tree.toString()));
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
        Path out = into.resolve("devbox-agent_" + version + "_all.deb");
        SystemTests.sh(List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "-b", tree.toString(), out.toString()));
        return out;
    }

    /** {@code git daemon} run from the host in the container's network namespace: it listens on the container's loopback. */
    private static Process gitDaemon(NspawnContainer box, Path base) throws Exception {
        Process p = new ProcessBuilder("nsenter", "-t", Long.toString(box.leader()), "-n", "git", "daemon", "--export-all",
                "--reuseaddr", "--base-path=" + base, "--listen=127.0.0.1", "--port=" + PORT, "--enable=receive-pack", base.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            SystemTests.Result r = SystemTests.run(List.of("nsenter", "-t", Long.toString(box.leader()), "-n", "git", "ls-remote", REPO),
                    Map.of(), null, Duration.ofSeconds(10));
            if (r.exitCode() == 0) return p;
            if (!p.isAlive()) throw new AssertionError("git daemon exited " + p.exitValue());
            Thread.sleep(100);
        }
        stop(p);
        throw new AssertionError("git daemon did not answer on the container's loopback");
    }

    private static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private static String query(NspawnContainer box, String format) throws Exception {
        return box.exec(List.of("dpkg-query", "-W", "-f=" + format, "devbox-agent")).stdout().strip();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
