package io.devbox.agent.hardening;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Every case of the hostile corpus through the built agent: {@code validate}, {@code plan} and {@code apply --yes}
 * each exit 1 with the located error on stderr and no stack trace, and the {@code --root} sandbox is byte for byte
 * unchanged. Two cases run at a time. Inputs built to make the reader work (alias bombs, huge scalars) must not: each
 * command may use at most 5 s of CPU (GNU time's user + system time of the whole JVM, ~0.5 s for a plain refusal).
 * CPU time, not wall time, so that a loaded machine cannot fail the test and a real blow-up still does.
 */
class HostileProfilesSystemTest {
    static final Duration CPU_LIMIT = Duration.ofSeconds(5);
    private static final String GNU_TIME = "/usr/bin/time";
    private static final List<List<String>> COMMANDS = List.of(List.of("validate"), List.of("plan"), List.of("apply", "--yes"));

    @TempDir
    Path tmp;

    @Test
    void everyHostileProfileIsRefusedWithALocatedErrorQuicklyAndChangesNothing() throws Exception {
        SystemTests.require(Files.isExecutable(Path.of(GNU_TIME)), "needs GNU time (" + GNU_TIME + ", Debian package time)");
        List<HostileCase> cases = HostileCase.all();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        List<String> agent = Agents.command();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (HostileCase c : cases) results.add(pool.submit(() -> run(agent, c)));
            List<String> failures = new ArrayList<>();
            long slowest = 0;
            for (Future<List<String>> f : results) {
                for (String line : f.get()) {
                    if (line.startsWith("ms ")) slowest = Math.max(slowest, Long.parseLong(line.substring(3)));
                    else failures.add(line);
                }
            }
            System.out.printf("hostile corpus: %d cases x %d commands in %d ms, most CPU of one command %d ms%n",
                    cases.size(), COMMANDS.size(), (System.nanoTime() - start) / 1_000_000, slowest);
            assertThat(failures).as("cases that were not refused cleanly").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Failures of one case (empty when it passed), plus one "ms N" line with the CPU time of its costliest command. */
    private List<String> run(List<String> agent, HostileCase c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(c.name()));
        Path repo = dir.resolve("repo");
        c.materialize(repo);
        Path root = Sandbox.box(dir.resolve("box"));
        Path state = dir.resolve("state");
        String before = TreeHash.of(root);
        List<String> failures = new ArrayList<>();
        long slowest = 0;
        Path cpuFile = dir.resolve("cpu.txt");
        for (List<String> cmd : COMMANDS) {
            List<String> argv = new ArrayList<>(List.of(GNU_TIME, "-f", "%U %S", "-o", cpuFile.toString()));
            argv.addAll(agent);
            argv.addAll(cmd);
            argv.addAll(List.of("--repo", repo.toString(), "--worktree", "--root", root.toString(), "--state-dir", state.toString(),
                    "--hostname", "dev-1", "--user", "dev", "--lock-wait", "0", "--no-color"));
            SystemTests.Result r = SystemTests.run(argv, Map.of(), dir, Duration.ofSeconds(120));
            long ms = cpuMillis(cpuFile);
            slowest = Math.max(slowest, ms);
            String what = c.name() + ": agent " + String.join(" ", cmd);
            if (r.exitCode() != 1) failures.add(what + " exited " + r.exitCode() + "\n" + r.all());
            if (!c.matches(r.stderr())) failures.add(what + " did not report " + c.location() + ": ..." + c.fragment() + "\n" + r.stderr());
            if (r.all().contains("Exception") || r.all().contains("\tat ")) failures.add(what + " printed a stack trace\n" + r.all());
            if (c.forbidden() != null && r.all().contains(c.forbidden())) failures.add(what + " showed the secret " + c.forbidden());
            if (ms > CPU_LIMIT.toMillis()) failures.add(what + " used " + ms + " ms of CPU (limit " + CPU_LIMIT.toMillis() + ")");
        }
        if (!TreeHash.of(root).equals(before)) failures.add(c.name() + ": the sandbox changed");
        failures.add("ms " + slowest);
        return failures;
    }

    /** User + system seconds from GNU time's output file (its last line: it adds a status line on a non-zero exit). */
    private static long cpuMillis(Path file) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        String[] f = lines.get(lines.size() - 1).trim().split(" ");
        return Math.round((Double.parseDouble(f[0]) + Double.parseDouble(f[1])) * 1000);
    }
}
