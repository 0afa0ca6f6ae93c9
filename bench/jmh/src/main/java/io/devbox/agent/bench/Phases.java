package io.devbox.agent.bench;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.FileValidationCache;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import io.devbox.agent.source.GitTreeSource;
import io.devbox.agent.source.Snapshot;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where one cold `agent plan` spends its time, phase by phase, in a fresh JVM (no JMH): run it with the launcher's
 * flags, e.g.
 * <pre>java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp bench/jmh/target/benchmarks.jar io.devbox.agent.bench.Phases REPO ROOT STATE</pre>
 * REPO a git repository with profiles/, ROOT a --root sandbox, STATE a state dir (its validation cache is used and
 * filled: run twice to see a cached run). The steps are those of Session.plan, without picocli, lock and facts.
 */
public final class Phases {
    private Phases() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Instant started = ProcessHandle.current().info().startInstant().orElse(null);
        Path repo = Path.of(args[0]).toAbsolutePath();
        Path root = Path.of(args[1]).toAbsolutePath();
        Path state = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(state);
        List<String> lines = new ArrayList<>();
        long t = t0;

        Snapshot snap = new GitTreeSource(repo, null, "profiles", repo.toString()).snapshot();
        t = lap(lines, "source (JGit tree at HEAD)", t);

        ComposedSpec spec = new ProfileLoader(new FileValidationCache(state.resolve("validated-profiles")), io.devbox.agent.kinds.Kinds.schema())
                .load(snap.profiles(), Fixtures.identity(), snap.files());
        t = lap(lines, "profiles (YAML, schema or cache, compose)", t);

        Host host = Fixtures.host(root);
        Plan plan = new Planner(KindRegistry.standard().newRun(), host, AppliedState.empty(), id -> Optional.empty())
                .plan(new DesiredContext(Fixtures.identity(), spec, host), Set.of());
        t = lap(lines, "plan (desired, probe, diff: " + plan.resources().size() + " resources)", t);

        RunInfo run = new RunInfo("20261129T101500Z-plan-3f2a", "plan", Instant.now().toString(), 0,
                new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), null), host.facts(), spec.profileNames(),
                "digest", plan.resources(), List.of());
        AtomicFiles.write(state.resolve("run.json"), JsonReport.pretty(JsonReport.document(run)).getBytes(StandardCharsets.UTF_8));
        t = lap(lines, "run record (JSON, atomic write)", t);

        TextRenderer text = new TextRenderer(false);
        String out = text.header(run) + text.resources(run.resources(), false) + text.planSummary(run.summary());
        t = lap(lines, "text rendering (" + out.length() + " chars)", t);

        long gcs = 0, gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += gc.getCollectionCount();
            gcMs += gc.getCollectionTime();
        }
        if (started != null) {
            long before = java.time.Duration.between(started, Instant.now()).toMillis() - (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("%-52s %7d ms%n", "JVM start to main (approx.)", before);
        }
        lines.forEach(System.out::println);
        System.out.printf("%-52s %7d ms%n", "total in main", (t - t0) / 1_000_000);
        System.out.printf("%-52s %7d (%d ms)%n", "GCs", gcs, gcMs);
    }

    private static long lap(List<String> lines, String what, long since) {
        long now = System.nanoTime();
        lines.add(String.format("%-52s %7d ms", what, (now - since) / 1_000_000));
        return now;
    }
}
