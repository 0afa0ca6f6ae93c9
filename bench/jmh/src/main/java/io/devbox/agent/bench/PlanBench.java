package io.devbox.agent.bench;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.ValidationCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The planner over a --root sandbox: every kind's desired resources, dependency order, probes (a read of the fake
 * /proc/sys file and of the managed sysctl.d file), diff and status.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanBench {
    @Param({"50", "2000", "10000"})
    int n;

    Path root;
    Host host;
    ComposedSpec spec;

    @Setup
    public void setup() throws ProfileException {
        root = Fixtures.sandbox(n);
        host = Fixtures.host(root);
        spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(Fixtures.single(n), Fixtures.identity(), null);
    }

    @TearDown
    public void tearDown() {
        Fixtures.delete(root);
    }

    @Benchmark
    public Plan plan() throws ProfileException {
        Planner planner = new Planner(KindRegistry.standard().newRun(), host, AppliedState.empty(), id -> Optional.empty());
        return planner.plan(new DesiredContext(Fixtures.identity(), spec, host), Set.of());
    }
}
