package io.devbox.agent.bench;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.ValidationCache;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.TextRenderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Rendering a plan of n changed resources: the text a person reads, and the JSON document (plan --json, run records). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RenderBench {
    @Param({"50", "2000", "10000"})
    int n;

    RunInfo run;

    @Setup
    public void setup() throws Exception {
        Path root = Fixtures.sandbox(n);
        try {
            var host = Fixtures.host(root);
            ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(Fixtures.single(n), Fixtures.identity(), null);
            Plan plan = new Planner(KindRegistry.standard().newRun(), host, AppliedState.empty(), id -> Optional.empty())
                    .plan(new DesiredContext(Fixtures.identity(), spec, host), Set.of());
            run = new RunInfo("20261129T101500Z-plan-3f2a", "plan", "2026-11-29T10:15:00Z", 120,
                    new RunInfo.SourceInfo("/home/dev/fleet", null, "3f9c2e1d0a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d", null),
                    host.facts(), spec.profileNames(), "digest", plan.resources(), List.of());
        } finally {
            Fixtures.delete(root);
        }
    }

    @Benchmark
    public String text() {
        TextRenderer t = new TextRenderer(false);
        return t.header(run) + t.resources(run.resources(), false) + t.planSummary(run.summary());
    }

    /** plan --json: the document, pretty, as text. */
    @Benchmark
    public String json() {
        return JsonReport.pretty(JsonReport.document(run));
    }

    /** The run record every plan writes: the same document, straight to UTF-8 bytes. */
    @Benchmark
    public byte[] jsonRecord() {
        return JsonReport.prettyBytes(JsonReport.document(run));
    }
}
