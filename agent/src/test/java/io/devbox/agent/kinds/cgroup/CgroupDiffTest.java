package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.profile.Origin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** diff and warnings as pure functions of a resource and an observation. */
class CgroupDiffTest {
    private static final Origin O = new Origin("profiles/p.yaml", 3, 5);
    private final CgroupReconciler r = new CgroupReconciler();

    private static CgroupResource build(String path, Wanted... limits) {
        return new CgroupResource(path, O, List.of(limits), List.of());
    }

    private static Wanted w(Setting s, long v) {
        return new Wanted(s, v, Long.toString(v), O);
    }

    private static CgroupObserved v1(Map<String, Boolean> dirs, Map<String, String> files, boolean blkioWeight) {
        var root = new TreeSet<String>(List.of("memory/memory.limit_in_bytes", "cpu/cpu.shares", "pids/pids.max"));
        if (blkioWeight) root.add("blkio/blkio.weight");
        return new CgroupObserved(CgroupVersion.V1, 4096, false, new TreeSet<>(List.of("memory", "cpu", "blkio", "pids")),
                root, new TreeMap<>(dirs), new TreeMap<>(files), new TreeMap<>(), null);
    }

    @Test
    void v1MissingCgroupIsCreatedInEachHierarchyItsLimitsUse() {
        var res = build("build.slice", w(Setting.MEMORY_MAX, 1_000_000_001L), w(Setting.MEMORY_HIGH, 1L << 30),
                w(Setting.CPU_MAX, 150_000), w(Setting.CPU_WEIGHT, 200), w(Setting.IO_WEIGHT, 150), w(Setting.PIDS_MAX, 64));
        var obs = v1(Map.of("memory", false, "cpu", false, "pids", false, "blkio", false), Map.of(), false);
        List<Change> changes = r.diff(res, obs);
        assertThat(changes).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cgroup:memory", null, "present"),
                org.assertj.core.groups.Tuple.tuple("cgroup:cpu", null, "present"),
                org.assertj.core.groups.Tuple.tuple("cgroup:pids", null, "present"),
                org.assertj.core.groups.Tuple.tuple("memory.limit_in_bytes", null, "999997440"),
                org.assertj.core.groups.Tuple.tuple("cpu.cfs_period_us", null, "100000"),
                org.assertj.core.groups.Tuple.tuple("cpu.cfs_quota_us", null, "150000"),
                org.assertj.core.groups.Tuple.tuple("cpu.shares", null, "2048"),
                org.assertj.core.groups.Tuple.tuple("pids.max", null, "64"));
        assertThat(changes).allMatch(c -> c.layer() == Layer.RUNTIME && !c.disruptive());
        assertThat(r.warningsFor(res, obs)).containsExactly(
                "memory.high: cgroup v1 has no equivalent of memory.high (memory.soft_limit_in_bytes is only a reclaim hint); skipped",
                "io.weight: this kernel offers no blkio.weight (the I/O scheduler is not CFQ; blkio.bfq.weight is not managed); skipped",
                "limits are runtime-only: systemd is not PID 1 here, so nothing restores them after a reboot");
    }

    @Test
    void v1ValuesTheKernelHoldsAreNoChangeEvenWhenNotPageAligned() {
        var res = build("b", w(Setting.MEMORY_MAX, 1_000_000_001L), w(Setting.CPU_MAX, Wanted.MAX), w(Setting.IO_WEIGHT, 100),
                w(Setting.PIDS_MAX, Wanted.MAX));
        var obs = v1(Map.of("memory", true, "cpu", true, "pids", true, "blkio", true),
                Map.of("memory/memory.limit_in_bytes", "999997440", "cpu/cpu.cfs_quota_us", "max",
                        "cpu/cpu.cfs_period_us", "50000", "blkio/blkio.weight", "500", "pids/pids.max", "max"), true);
        assertThat(r.diff(res, obs)).isEmpty();
        var drifted = v1(Map.of("memory", true, "cpu", true, "pids", true, "blkio", true),
                Map.of("memory/memory.limit_in_bytes", "max", "cpu/cpu.cfs_quota_us", "20000",
                        "blkio/blkio.weight", "500", "pids/pids.max", "10"), true);
        assertThat(r.diff(res, drifted)).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("memory.limit_in_bytes", "max", "999997440"),
                org.assertj.core.groups.Tuple.tuple("cpu.cfs_quota_us", "20000", "max"),
                org.assertj.core.groups.Tuple.tuple("pids.max", "10", "max"));
    }

    @Test
    void v2EnablesControllersInEveryAncestorAndComparesNativeValues() {
        var res = build("work.slice/build", w(Setting.MEMORY_MAX, 8L << 30), w(Setting.MEMORY_HIGH, 6L << 30),
                w(Setting.CPU_MAX, 150_000), w(Setting.IO_WEIGHT, 150), w(Setting.PIDS_MAX, 4096));
        var obs = new CgroupObserved(CgroupVersion.V2, 4096, false, new TreeSet<>(Set.of("cpu", "io", "memory", "pids")),
                new TreeSet<>(), new TreeMap<>(Map.of("", false)), new TreeMap<>(),
                new TreeMap<>(Map.of("", new TreeSet<>(Set.of("cpu", "memory")), "work.slice", new TreeSet<>())), null);
        assertThat(r.diff(res, obs)).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cgroup", null, "present"),
                org.assertj.core.groups.Tuple.tuple("subtree_control:/", "cpu memory", "cpu io memory pids"),
                org.assertj.core.groups.Tuple.tuple("subtree_control:work.slice", null, "cpu io memory pids"),
                org.assertj.core.groups.Tuple.tuple("memory.max", null, "8589934592"),
                org.assertj.core.groups.Tuple.tuple("memory.high", null, "6442450944"),
                org.assertj.core.groups.Tuple.tuple("cpu.max", null, "150000 100000"),
                org.assertj.core.groups.Tuple.tuple("io.weight", null, "150"),
                org.assertj.core.groups.Tuple.tuple("pids.max", null, "4096"));
        // what apply acts on: the typed operations, not the display text
        assertThat(r.diff(res, obs)).extracting(Change::op).containsExactly(
                new CgroupOp.MakeDirectory(""),
                new CgroupOp.EnableControllers("", new java.util.TreeSet<>(Set.of("cpu", "memory")),
                        new java.util.TreeSet<>(Set.of("cpu", "io", "memory", "pids"))),
                new CgroupOp.EnableControllers("work.slice", new java.util.TreeSet<>(), new java.util.TreeSet<>(Set.of("cpu", "io", "memory", "pids"))),
                new CgroupOp.SetLimit("memory.max", null, "8589934592"),
                new CgroupOp.SetLimit("memory.high", null, "6442450944"),
                new CgroupOp.SetLimit("cpu.max", null, "150000 100000"),
                new CgroupOp.SetLimit("io.weight", null, "150"),
                new CgroupOp.SetLimit("pids.max", null, "4096"));
    }

    @Test
    void v2MissingControllerIsSkippedWithItsReason() {
        var res = build("x", w(Setting.IO_WEIGHT, 150), w(Setting.PIDS_MAX, 10));
        var obs = new CgroupObserved(CgroupVersion.V2, 4096, false, new TreeSet<>(Set.of("pids")), new TreeSet<>(),
                new TreeMap<>(Map.of("", true)), new TreeMap<>(Map.of("pids.max", "10")),
                new TreeMap<>(Map.of("", new TreeSet<>(Set.of("pids")))), null);
        assertThat(r.diff(res, obs)).isEmpty();
        assertThat(r.warningsFor(res, obs)).first().asString()
                .isEqualTo("io.weight: the io controller is not available here (not in cgroup.controllers); skipped");
    }

    @Test
    void sliceUnderSystemdGetsAPersistedDropinComparedBySettingsNotComments() {
        var res = build("build.slice", w(Setting.MEMORY_MAX, 8L << 30), w(Setting.CPU_MAX, 150_000),
                w(Setting.CPU_WEIGHT, 200), w(Setting.PIDS_MAX, Wanted.MAX));
        String rendered = SliceDropin.render(res);
        assertThat(rendered).contains("[Slice]\nMemoryMax=8589934592\nCPUQuota=150%\nCPUWeight=200\nTasksMax=infinity\n");
        var withoutDropin = new CgroupObserved(CgroupVersion.V2, 4096, true, new TreeSet<>(Set.of("cpu", "memory", "pids")),
                new TreeSet<>(), new TreeMap<>(Map.of("", true)),
                new TreeMap<>(Map.of("memory.max", "8589934592", "cpu.max", "150000 100000", "cpu.weight", "200", "pids.max", "max")),
                new TreeMap<>(Map.of("", new TreeSet<>(Set.of("cpu", "memory", "pids")))), null);
        List<Change> changes = r.diff(res, withoutDropin);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("dropin");
            assertThat(c.layer()).isEqualTo(Layer.PERSISTED);
            assertThat(c.from()).isNull();
            assertThat(c.to()).isEqualTo("[Slice] MemoryMax=8589934592 CPUQuota=150% CPUWeight=200 TasksMax=infinity");
        });
        assertThat(r.warningsFor(res, withoutDropin)).isEmpty();
        var withEditedComment = new CgroupObserved(withoutDropin.version(), 4096, true, withoutDropin.available(),
                withoutDropin.rootFiles(), withoutDropin.directories(), withoutDropin.files(), withoutDropin.subtreeControl(),
                rendered.replace("# Written", "# someone touched this\n# Written"));
        assertThat(r.diff(res, withEditedComment)).isEmpty();
    }

    @Test
    void nonSliceWarnsRuntimeOnlyUnderSystemd() {
        var res = build("jobs", w(Setting.PIDS_MAX, 10));
        var obs = new CgroupObserved(CgroupVersion.V2, 4096, true, new TreeSet<>(Set.of("pids")), new TreeSet<>(),
                new TreeMap<>(Map.of("", true)), new TreeMap<>(Map.of("pids.max", "10")),
                new TreeMap<>(Map.of("", new TreeSet<>(Set.of("pids")))), null);
        assertThat(r.diff(res, obs)).isEmpty();
        assertThat(r.warningsFor(res, obs)).containsExactly(
                "limits are runtime-only: jobs is not a systemd slice (*.slice), so no drop-in persists them");
    }

    @Test
    void removalUndoesOnlyWhatTheAgentMade() {
        assertThat(r.removal("cgroup[pre.existing]", Map.of("pids.max@runtime", "10"))).isEmpty();
        var gone = r.removal("cgroup[build.slice]", Map.of("cgroup:pids@runtime", "present", "dropin@persisted", "x")).orElseThrow();
        var obs = v1(Map.of("memory", false, "cpu", true, "pids", true, "blkio", false), Map.of(), false);
        assertThat(r.diff(gone, obs)).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cgroup:cpu", "present", null),
                org.assertj.core.groups.Tuple.tuple("cgroup:pids", "present", null));
        assertThat(r.removal("cgroup[../x]", Map.of("cgroup@runtime", "present"))).isEmpty();
    }
}
