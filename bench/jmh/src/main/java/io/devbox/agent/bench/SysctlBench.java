package io.devbox.agent.bench;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.kinds.sysctl.SysctlObserved;
import io.devbox.agent.kinds.sysctl.SysctlReconciler;
import io.devbox.agent.kinds.sysctl.SysctlSetting;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The sysctl kind's pure parts: desired resources from the composed section (key parsing), and diff. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SysctlBench {
    @Param({"50", "2000", "10000"})
    int n;

    ComposedSpec spec;
    DesiredContext context;
    List<SysctlSetting> desired;
    List<SysctlObserved> observed;

    @Setup
    public void setup() throws ProfileException {
        spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(Fixtures.single(n), Fixtures.identity(), null);
        context = new DesiredContext(Fixtures.identity(), spec);
        desired = new SysctlReconciler().desired(spec.sections().get("sysctl"), context);
        observed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // a third as wanted, a third with another running value, a third not persisted yet
            String want = desired.get(i).value();
            observed.add(switch (i % 3) {
                case 0 -> new SysctlObserved(want, want);
                case 1 -> new SysctlObserved(String.valueOf(i), want);
                default -> new SysctlObserved(want, null);
            });
        }
    }

    @Benchmark
    public List<SysctlSetting> desired() throws ProfileException {
        return new SysctlReconciler().desired(spec.sections().get("sysctl"), context);
    }

    @Benchmark
    public void diff(Blackhole bh) {
        SysctlReconciler r = new SysctlReconciler();
        for (int i = 0; i < n; i++) {
            List<Change> c = r.diff(desired.get(i), observed.get(i));
            bh.consume(c);
        }
    }
}
