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
 * each exit 1 within 5 s with the located error on stderr and no stack trace, and the {@code --root} sandbox is
 * byte for byte unchanged. Two cases run at a time.
 */
class HostileProfilesSystemTest {
    static final Duration LIMIT = Duration.ofSeconds(5);
    private static final List<List<String>> COMMANDS = List.of(List.of("validate"), List.of("plan"), List.of("apply", "--yes"));

    @TempDir
    Path tmp;

    @Test
    void everyHostileProfileIsRefusedWithALocatedErrorQuicklyAndChangesNothing() throws Exception {
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
            System.out.printf("hostile corpus: %d cases x %d commands in %d ms, slowest command %d ms%n",
                    cases.size(), COMMANDS.size(), (System.nanoTime() - start) / 1_000_000, slowest);
            assertThat(failures).as("cases that were not refused cleanly").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Failures of one case (empty when it passed), plus one "ms N" line with its slowest command. */
    private List<String> run(List<String> agent, HostileCase c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(c.name()));
        Path repo = dir.resolve("repo");
        c.materialize(repo);
        Path root = Sandbox.box(dir.resolve("box"));
        Path state = dir.resolve("state");
        String before = TreeHash.of(root);
        List<String> failures = new ArrayList<>();
        long slowest = 0;
        for (List<String> cmd : COMMANDS) {
            List<String> argv = new ArrayList<>(agent);
            argv.addAll(cmd);
            argv.addAll(List.of("--repo", repo.toString(), "--worktree", "--root", root.toString(), "--state-dir", state.toString(),
                    "--hostname", "dev-1", "--user", "dev", "--lock-wait", "0", "--no-color"));
            long t0 = System.nanoTime();
            SystemTests.Result r = SystemTests.run(argv, Map.of(), dir, Duration.ofSeconds(30));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            slowest = Math.max(slowest, ms);
            String what = c.name() + ": agent " + String.join(" ", cmd);
            if (r.exitCode() != 1) failures.add(what + " exited " + r.exitCode() + "\n" + r.all());
            if (!c.matches(r.stderr())) failures.add(what + " did not report " + c.location() + ": ..." + c.fragment() + "\n" + r.stderr());
            if (r.all().contains("Exception") || r.all().contains("\tat ")) failures.add(what + " printed a stack trace\n" + r.all());
            if (c.forbidden() != null && r.all().contains(c.forbidden())) failures.add(what + " showed the secret " + c.forbidden());
            if (ms > LIMIT.toMillis()) failures.add(what + " took " + ms + " ms (limit " + LIMIT.toMillis() + ")");
        }
        if (!TreeHash.of(root).equals(before)) failures.add(c.name() + ": the sandbox changed");
        failures.add("ms " + slowest);
        return failures;
    }
}
