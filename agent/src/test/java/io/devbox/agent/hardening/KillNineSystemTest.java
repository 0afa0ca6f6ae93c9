package io.devbox.agent.hardening;

import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the agent at random points of an apply of 300+ resources (kernel parameters, unit files, hooks in real
 * git repositories, wsl.conf keys), many times: every managed file on the box holds one complete generation, the
 * state stays parseable, temp files are cleaned by the next run and the next complete run converges.
 * The fake /proc/sys files are kernel interfaces, written in place as the kernel requires (a real kernel applies a
 * write whole), so they are checked for convergence only.
 */
class KillNineSystemTest {
    static final int KILLS = 20;
    /** Rounds at most: a round whose apply finished before its kill does not count. */
    static final int ROUNDS = 40;

    @TempDir
    Path tmp;

    @Test
    void killedAppliesNeverTearAFileAndTheNextRunConverges() throws Exception {
        BigFleet fleet = BigFleet.create(tmp);
        assertThat(BigFleet.resources()).isGreaterThanOrEqualTo(300);
        Path state = tmp.resolve("state");
        long seed = Long.getLong("devbox.seed", System.nanoTime());
        Random random = new Random(seed);

        long t0 = System.nanoTime();
        SystemTests.Result first = agent(fleet, state, "apply", "--yes");
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(first.exitCode()).as(first.all()).isZero();

        int killedMidRun = 0;
        int leftoverRounds = 0;
        int[] generations = IntStream.rangeClosed(1, ROUNDS + 2).toArray();
        int round = 0;
        while (killedMidRun < KILLS && round < ROUNDS) {
            round++;
            int g = round + 1;
            fleet.commit(g);
            long delay = 200 + (long) (random.nextDouble() * fullMs * 0.8);
            List<String> argv = new ArrayList<>(Agents.command());
            argv.addAll(List.of("apply", "--yes", "--lock-wait", "30"));
            argv.addAll(fleet.args(state));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("round-" + round + ".log").toFile());
            pb.environment().putAll(fleet.env());
            pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            Process p = pb.start();
            long started = System.nanoTime();
            boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (exited) {
                // the box is faster than the first apply suggested (less load now): aim earlier from now on
                fullMs = Math.min(fullMs, (System.nanoTime() - started) / 1_000_000);
            } else {
                killedMidRun++;
                // SIGKILL to the agent (the launcher execs java) and to any git it started
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            assertThat(BoxChecks.untorn(fleet.root, generations)).as("round " + round + " (seed " + seed + ")").isEmpty();
            assertThat(BoxChecks.stateParses(state)).as("round " + round).isEmpty();
            if (!BoxChecks.leftovers(fleet.root).isEmpty() || !BoxChecks.leftovers(state).isEmpty()) leftoverRounds++;
        }
        // what a write killed between its temp file and the rename leaves (a dead writer's temp file) in every
        // directory the agent writes to: the next run that writes there removes it
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        List<Path> planted = new ArrayList<>();
        for (Path d : List.of(fleet.root.resolve("etc/systemd/system"), fleet.root.resolve("etc/sysctl.d"), fleet.root.resolve("etc"),
                fleet.root.resolve("home/dev/src/r03/.git/hooks"), state, state.resolve("runs"))) {
            Path f = d.resolve(io.devbox.agent.host.AtomicFiles.TEMP_PREFIX + "p" + dead.pid() + "-42.tmp");
            java.nio.file.Files.writeString(f, "half a fil");
            planted.add(f);
        }
        int last = round + 2;
        fleet.commit(last);
        SystemTests.Result complete = agent(fleet, state, "apply", "--yes");
        assertThat(complete.exitCode()).as(complete.all()).isZero();
        assertThat(planted).allSatisfy(f -> assertThat(f).doesNotExist());
        assertThat(BoxChecks.converged(fleet.root, last)).isEmpty();
        assertThat(BoxChecks.leftovers(fleet.root)).as("temp files cleaned by the next run").isEmpty();
        assertThat(BoxChecks.leftovers(state)).isEmpty();
        assertThat(BoxChecks.stateParses(state)).isEmpty();
        SystemTests.Result plan = agent(fleet, state, "plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        System.out.printf("kill -9: %d rounds (seed %d), %d killed mid-run, %d left temp files, a full apply takes %d ms%n",
                round, seed, killedMidRun, leftoverRounds, fullMs);
        assertThat(killedMidRun).as("agents really killed mid-run").isGreaterThanOrEqualTo(KILLS);
    }

    private SystemTests.Result agent(BigFleet fleet, Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(Agents.command());
        argv.addAll(List.of(args));
        argv.addAll(fleet.args(state));
        return SystemTests.run(argv, fleet.env(), tmp, Duration.ofMinutes(3));
    }
}
