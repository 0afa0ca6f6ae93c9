package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.testing.ReconcilerDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cgroup v2 semantics against a v2-shaped tree in a temp dir (this machine's kernel only offers v1 controllers). */
class CgroupV2TreeTest {
    private static final Origin O = new Origin("profiles/p.yaml", 2, 3);

    @TempDir
    Path tmp;

    private Host host(Path cg, boolean systemd) {
        return new Host(tmp.resolve("root"), tmp.resolve("sys"), cg, tmp.resolve("state"),
                new Facts("dev-1", "boot", false, systemd, "root", "/root", true), new Commands());
    }

    private Path v2Tree() throws IOException {
        Path cg = Files.createDirectories(tmp.resolve("cgroup"));
        Files.writeString(cg.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(cg.resolve("cgroup.subtree_control"), "cpu memory\n");
        return cg;
    }

    @Test
    void createsTheCgroupEnablesControllersWritesLimitsAndConverges() throws Exception {
        Path cg = v2Tree();
        var res = new CgroupResource("work.slice/build.slice", O, List.of(
                new Wanted(Setting.MEMORY_MAX, 1_000_000_001L, "1000000001", O),
                new Wanted(Setting.MEMORY_HIGH, 512L << 20, "512M", O),
                new Wanted(Setting.CPU_MAX, 150_000, "150%", O),
                new Wanted(Setting.CPU_WEIGHT, 200, "200", O),
                new Wanted(Setting.IO_WEIGHT, 150, "150", O),
                new Wanted(Setting.PIDS_MAX, 4096, "4096", O)), List.of());
        var r = new CgroupReconciler();
        Host host = host(cg, true);
        List<Change> applied = ReconcilerDriver.apply(r, res, host);
        assertThat(applied).extracting(Change::field).containsExactly("cgroup", "subtree_control:/",
                "subtree_control:work.slice", "memory.max", "memory.high", "cpu.max", "cpu.weight", "io.weight", "pids.max", "dropin");

        Path leaf = cg.resolve("work.slice/build.slice");
        assertThat(leaf).isDirectory();
        // only the missing controllers are added, in the kernel's "+ctrl" syntax
        assertThat(Files.readString(cg.resolve("cgroup.subtree_control"))).isEqualTo("+io +pids");
        assertThat(Files.readString(cg.resolve("work.slice/cgroup.subtree_control"))).isEqualTo("+cpu +io +memory +pids");
        assertThat(Files.readString(leaf.resolve("memory.max"))).isEqualTo("999997440");
        assertThat(Files.readString(leaf.resolve("cpu.max"))).isEqualTo("150000 100000");
        assertThat(Files.readString(leaf.resolve("io.weight"))).isEqualTo("default 150");
        assertThat(Files.readString(tmp.resolve("root/etc/systemd/system/build.slice.d/50-devbox-agent.conf")))
                .contains("MemoryMax=1000000001", "MemoryHigh=536870912", "CPUQuota=150%", "CPUWeight=200", "IOWeight=150", "TasksMax=4096");

        // the kernel's subtree_control lists what is enabled, without '+'
        Files.writeString(cg.resolve("cgroup.subtree_control"), "cpu io memory pids\n");
        assertThat(ReconcilerDriver.plan(r, res, host)).isEmpty();

        // drift: someone raises the pids limit behind the agent's back
        Files.writeString(leaf.resolve("pids.max"), "max\n");
        assertThat(ReconcilerDriver.plan(r, res, host)).extracting(Change::field, Change::from, Change::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pids.max", "max", "4096"));
    }

    @Test
    void pruneRemovesTheCgroupAndTheDropinItMade() throws Exception {
        Path cg = v2Tree();
        var r = new CgroupReconciler();
        Host host = host(cg, true);
        var res = new CgroupResource("gone.slice", O, List.of(new Wanted(Setting.PIDS_MAX, 10, "10", O)), List.of());
        ReconcilerDriver.apply(r, res, host);
        Path dropin = tmp.resolve("root/etc/systemd/system/gone.slice.d/50-devbox-agent.conf");
        assertThat(dropin).exists();
        // a fake tree cannot remove its interface files by itself as cgroupfs does on rmdir
        Files.delete(cg.resolve("gone.slice/pids.max"));

        var gone = r.removal("cgroup[gone.slice]", Map.of("cgroup@runtime", "present", "dropin@persisted", "[Slice] TasksMax=10")).orElseThrow();
        assertThat(gone.presence().isAbsent()).isTrue();
        assertThat(ReconcilerDriver.apply(r, gone, host)).extracting(Change::op).satisfiesExactly(
                op -> assertThat(op).isInstanceOf(CgroupOp.DeleteDropin.class),
                op -> assertThat(op).isEqualTo(new CgroupOp.RemoveDirectory("")));
        assertThat(cg.resolve("gone.slice")).doesNotExist();
        assertThat(dropin.getParent()).doesNotExist();
        assertThat(ReconcilerDriver.plan(r, gone, host)).isEmpty();
    }

    @Test
    void aCgroupWithChildrenIsNotRemovedAndSaysWhy() throws Exception {
        Path cg = v2Tree();
        Files.createDirectories(cg.resolve("busy/child"));
        var r = new CgroupReconciler();
        var gone = r.removal("cgroup[busy]", Map.of("cgroup@runtime", "present")).orElseThrow();
        Change c = ReconcilerDriver.plan(r, gone, host(cg, false)).get(0);
        assertThatThrownBy(() -> r.apply(gone, c, host(cg, false))).isInstanceOf(ResourceException.class)
                .hasMessageContaining("cgroup[busy] cgroup: it still has child cgroups");
    }
}
