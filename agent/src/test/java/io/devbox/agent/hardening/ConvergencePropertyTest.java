package io.devbox.agent.hardening;

import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.Session;
import io.devbox.agent.testing.GitRepos;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests over random desired and actual states of several kinds in one profile, through the whole agent in
 * process (a --root sandbox, a profile directory, profile loading with variables, the locks, run records): applying
 * and planning again gives an empty plan, and applying twice leaves the box byte for byte as applying once. Each
 * kind's own contract, on random states too, is {@code KindContractTest}; this is what it cannot show: the kinds
 * converge together, in dependency order across kinds. Seeded {@link Random}s, one per repetition (the seed is in every
 * failure message; {@code -Ddevbox.seed=N} replays one). jqwik is not used: see the hardening report.
 */
class ConvergencePropertyTest {
    static final int TRIES = 4;

    @TempDir
    Path tmp;

    private long seed(RepetitionInfo info, String what) {
        return Long.getLong("devbox.seed", what.hashCode() * 7919L + info.getCurrentRepetition());
    }

    @RepeatedTest(TRIES)
    void kindsTogetherThroughTheWholeAgent(RepetitionInfo info) throws Exception {
        long seed = seed(info, "together");
        Random r = new Random(seed);
        Path root = Sandbox.box(tmp.resolve("box"));
        for (int i = 0; i < 4; i++) Sandbox.write(root.resolve("proc/sys/net/fake/k" + i), r.nextInt(100) + "\n");
        if (r.nextBoolean()) Sandbox.write(root.resolve("etc/systemd/system/u0.service"), "[Unit]\nDescription=old\n");
        int repos = 1 + r.nextInt(2);
        for (int i = 0; i < repos; i++) GitRepos.init(root.resolve("home/dev/src/r" + i));
        StringBuilder spec = new StringBuilder("spec:\n  sysctl:\n");
        for (int i = 0; i < 4; i++) spec.append("    net.fake.k").append(i).append(": ").append(r.nextInt(100)).append('\n');
        spec.append("  systemd:\n    units:\n      u0.service: {content: \"[Unit]\\nDescription=unit ").append(r.nextInt(1000))
                .append("\\n\", dependsOn: [\"sysctl[net.fake.k0]\"]}\n");
        spec.append("  hooks:\n    repos: [\"${home}/src/*\"]\n    hooks:\n      pre-commit: {content: \"#!/bin/sh\\n# ")
                .append(r.nextInt(1000)).append("\\nexit 0\\n\"}\n");
        check(seed, root, spec.toString());
    }

    private void check(long seed, Path root, String spec) throws Exception {
        Path repo = tmp.resolve("repo");
        Sandbox.write(repo.resolve("profiles/p.yaml"), String.format(HostileCase.HEADER, "p") + spec);
        AgentOptions o = new AgentOptions(repo.toString(), null, "profiles", true, root, tmp.resolve("state"), null, null,
                "dev-1", Map.of(), "dev", Duration.ofSeconds(5), tmp);
        String what = "seed " + seed + "\n" + spec;

        RunInfo first = session(o).apply(Set.of(), Optional.empty(), () -> false).run();
        assertThat(first.errors()).as(what).isEmpty();
        assertThat(first.resources()).as(what).noneMatch(p -> p.status() == Status.ERROR);
        assertThat(first.resources()).as(what).extracting(ResourcePlan::kind).contains("sysctl", "unit", "hook");

        RunInfo again = session(o).plan("plan", Set.of());
        List<String> pending = new ArrayList<>();
        for (ResourcePlan p : again.resources()) {
            if (p.status() != Status.OK && p.status() != Status.SKIPPED || !p.changes().isEmpty()) pending.add(p.id() + " " + p.status() + " " + p.changes());
        }
        assertThat(pending).as("plan after apply, " + what).isEmpty();

        Map<String, String> once = hashes(root);
        RunInfo second = session(o).apply(Set.of(), Optional.empty(), () -> false).run();
        assertThat(second.resources()).as(what).noneMatch(p -> p.status() == Status.ERROR);
        assertThat(hashes(root)).as("applying twice = applying once, " + what).isEqualTo(once);
    }

    private static Session session(AgentOptions o) {
        return Session.open(o, System.getenv(), Clock.systemUTC(), Kinds.registry());
    }

    /** Path to content digest and mode of every file (the box lock's holder line excluded: it names the run). */
    private static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.equals("run/devbox-agent.lock")) continue;
                String mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).toString();
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) : "";
                out.put(rel, mode + " " + content);
            }
        }
        return out;
    }
}
