package io.devbox.agent.hardening;

import io.devbox.agent.run.Session;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One agent at a time per box, whatever the state directories: a box lock held elsewhere stops every apply (they
 * wait, then exit 1 naming the holder); twelve agents started at once on one box
 * ({@code apply}, {@code watch --once} and {@code plan --out}, four state directories) leave it converged, with no
 * torn file and every loser's message naming the holder.
 */
class BoxLockSystemTest {
    @TempDir
    Path tmp;

    private SystemTests.Result agent(BigFleet fleet, Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(Agents.command());
        argv.addAll(List.of(args));
        argv.addAll(fleet.args(state));
        return SystemTests.run(argv, fleet.env(), tmp, Duration.ofMinutes(3));
    }

    @Test
    void aHeldBoxLockStopsAgentsOfEveryStateDirectoryAndManyConcurrentAgentsConverge() throws Exception {
        BigFleet fleet = BigFleet.create(tmp);
        Path boxLock = fleet.root.resolve(Session.BOX_LOCK.substring(1));
        Files.createDirectories(boxLock.getParent());

        List<String> hold = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.devbox.agent.testing.HoldLock", boxLock.toString());
        Process holder = new ProcessBuilder(hold).redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine()).isEqualTo("held");
            String before = TreeHash.of(fleet.root);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<SystemTests.Result>> losers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path state = tmp.resolve("held-state-" + i);
                losers.add(pool.submit(() -> agent(fleet, state, "apply", "--yes", "--lock-wait", "1")));
            }
            for (Future<SystemTests.Result> f : losers) {
                SystemTests.Result r = f.get();
                assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
                assertThat(r.stderr()).contains("another agent run holds the lock " + boxLock, "pid " + holder.pid());
                assertThat(r.all()).doesNotContain("Exception", "\tat ");
            }
            pool.shutdown();
            assertThat(TreeHash.of(fleet.root)).as("nothing changed while another agent held the box").isEqualTo(before);
        } finally {
            holder.destroyForcibly().waitFor();
        }

        // twelve at once: applies with four state directories (two of them impatient) and saved plans
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<SystemTests.Result>> runs = new ArrayList<>();
        List<String> what = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path state = tmp.resolve("state-" + (i % 4));
            String[] args = i % 4 == 3 ? new String[]{"plan", "--out", tmp.resolve("plan-" + i + ".json").toString(), "--lock-wait", "120"}
                    : i == 5 || i == 9 ? new String[]{"watch", "--once", "--lock-wait", "120"}
                    : new String[]{"apply", "--yes", "--lock-wait", i < 2 ? "0" : "120"};
            what.add(String.join(" ", args) + " (state-" + (i % 4) + ")");
            runs.add(pool.submit(() -> agent(fleet, state, args)));
        }
        int applied = 0;
        int refused = 0;
        int patientFailures = 0;
        int watches = 0;
        try {
            for (int i = 0; i < runs.size(); i++) {
                SystemTests.Result r = runs.get(i).get();
                assertThat(r.all()).as(what.get(i)).doesNotContain("Exception", "\tat ");
                if (r.exitCode() == 0) {
                    if (what.get(i).startsWith("apply")) applied++;
                    if (what.get(i).startsWith("watch")) watches++;
                } else {
                    if (what.get(i).startsWith("apply") && !what.get(i).contains("--lock-wait 0")) patientFailures++;
                    assertThat(r.exitCode()).as(what.get(i) + "\n" + r.all()).isEqualTo(1);
                    // a second watch on one state directory is refused at once by the daemon's own lock (a log line)
                    assertThat(r.all()).as(what.get(i)).contains("another agent run holds the lock").containsPattern("pid [0-9]+ \\(agent ");
                    refused++;
                }
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
        }
        System.out.printf("box lock: 12 concurrent runs, %d applies and %d watch cycles succeeded, %d refused by a lock%n",
                applied, watches, refused);
        assertThat(patientFailures).as("every apply that waits long enough succeeds").isZero();
        assertThat(applied).isGreaterThanOrEqualTo(5);
        assertThat(watches).as("the two watches share a state directory: at least one cycle runs").isGreaterThanOrEqualTo(1);
        assertThat(BoxChecks.converged(fleet.root, 1)).isEmpty();
        assertThat(BoxChecks.leftovers(fleet.root)).isEmpty();
        for (int s = 0; s < 4; s++) {
            assertThat(BoxChecks.stateParses(tmp.resolve("state-" + s))).isEmpty();
            SystemTests.Result again = agent(fleet, tmp.resolve("state-" + s), "plan", "--detailed-exitcode");
            assertThat(again.exitCode()).as("converged for state-" + s + "\n" + again.all()).isZero();
        }
    }
}
