package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.Change;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.testing.ReconcilerDriver;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cgroup kind on this machine's real cgroup v1 hierarchies (TESTING.md R2): limits are written, read back and
 * enforced. Everything lives under a unique devbox-test-* cgroup that is removed depth-first afterwards.
 */
class CgroupV1SystemTest {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final Origin O = new Origin("profiles/build.yaml", 4, 7);
    private static final List<String> HIERARCHIES = List.of("memory", "cpu", "pids", "blkio");

    @TempDir
    Path tmp;
    private String top;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void prerequisites() {
        SystemTests.requireRoot();
        SystemTests.require(!Files.exists(CGROUP.resolve("cgroup.controllers")) && Files.isDirectory(CGROUP.resolve("pids"))
                && Files.isDirectory(CGROUP.resolve("memory")) && Files.isDirectory(CGROUP.resolve("cpu")),
                "needs cgroup v1 memory, cpu and pids hierarchies under /sys/fs/cgroup");
        top = "devbox-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void cleanup() throws Exception {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        if (top == null) return;
        for (String h : HIERARCHIES) {
            Path dir = CGROUP.resolve(h).resolve(top);
            if (!Files.isDirectory(dir)) continue;
            List<Path> dirs;
            try (Stream<Path> s = Files.walk(dir)) {
                dirs = s.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            }
            for (Path d : dirs) {
                killAll(d);
                Files.delete(d);
            }
        }
        for (String h : HIERARCHIES) assertThat(CGROUP.resolve(h).resolve(top)).doesNotExist();
    }

    private Host host() {
        return new Host(tmp.resolve("root"), tmp.resolve("sys"), CGROUP, tmp.resolve("state"),
                new Facts("dev-1", "boot", false, false, "root", "/root", true), new Commands());
    }

    @Test
    void limitsAreWrittenReadBackEnforcedIdempotentAndPruned() throws Exception {
        String path = top + "/build";
        var res = new CgroupResource(path, O, List.of(
                new Wanted(Setting.MEMORY_MAX, 1_000_000_001L, "1000000001", O),
                new Wanted(Setting.MEMORY_HIGH, 512L << 20, "512M", O),
                new Wanted(Setting.CPU_MAX, 150_000, "150%", O),
                new Wanted(Setting.CPU_WEIGHT, 200, "200", O),
                new Wanted(Setting.PIDS_MAX, 2, "2", O)), List.of());
        var r = new CgroupReconciler();
        Host host = host();

        List<Change> applied = ReconcilerDriver.apply(r, res, host);
        assertThat(applied).extracting(Change::field).containsExactly("cgroup:memory", "cgroup:cpu", "cgroup:pids",
                "memory.limit_in_bytes", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.shares", "pids.max");

        // read back from the kernel: memory rounded down to whole pages, shares by systemd's formula
        assertThat(read("memory", path, "memory.limit_in_bytes")).isEqualTo("999997440");
        assertThat(read("cpu", path, "cpu.cfs_quota_us")).isEqualTo("150000");
        assertThat(read("cpu", path, "cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(read("cpu", path, "cpu.shares")).isEqualTo("2048");
        assertThat(read("pids", path, "pids.max")).isEqualTo("2");

        // idempotent: the re-plan is empty although the kernel holds a different number than the profile says
        var observed = r.probe(res, host);
        assertThat(r.diff(res, observed)).isEmpty();
        assertThat(r.warningsFor(res, observed)).anyMatch(w -> w.startsWith("memory.high: cgroup v1 has no equivalent"))
                .anyMatch(w -> w.startsWith("limits are runtime-only"));

        // enforcement: a shell placed in the cgroup can have one child, the second fork fails
        Process sh = new ProcessBuilder("sh", "-c", "read go; sleep 30 & echo forked-1; sleep 30 & echo forked-2; wait")
                .redirectErrorStream(true).start();
        processes.add(sh);
        Files.writeString(CGROUP.resolve("pids").resolve(path).resolve("cgroup.procs"), Long.toString(sh.pid()));
        try (OutputStream in = sh.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = readAvailable(sh);
        assertThat(out).contains("forked-1").doesNotContain("forked-2").containsIgnoringCase("fork");
        assertThat(read("pids", path, "pids.events")).matches("(?s)max [1-9].*");

        // drift behind the agent's back is seen and fixed
        Files.writeString(CGROUP.resolve("pids").resolve(path).resolve("pids.max"), "max");
        assertThat(ReconcilerDriver.plan(r, res, host)).extracting(Change::field, Change::from, Change::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pids.max", "max", "2"));
        ReconcilerDriver.apply(r, res, host);
        assertThat(read("pids", path, "pids.max")).isEqualTo("2");

        // prune: the cgroup leaves the profiles; the agent removes what it created (once it has no processes)
        sh.descendants().forEach(ProcessHandle::destroyForcibly);
        sh.destroyForcibly();
        sh.waitFor(5, TimeUnit.SECONDS);
        waitEmpty(CGROUP.resolve("pids").resolve(path));
        Map<String, String> lastApplied = new LinkedHashMap<>();
        applied.forEach(c -> lastApplied.put(c.stateKey(), c.to()));
        var gone = r.removal(res.id(), lastApplied).orElseThrow();
        assertThat(ReconcilerDriver.apply(r, gone, host)).extracting(Change::field)
                .containsExactlyInAnyOrder("cgroup:memory", "cgroup:cpu", "cgroup:pids");
        for (String h : List.of("memory", "cpu", "pids")) assertThat(CGROUP.resolve(h).resolve(path)).doesNotExist();
        assertThat(ReconcilerDriver.plan(r, gone, host)).isEmpty();
    }

    private static String read(String hierarchy, String path, String file) throws IOException {
        return Files.readString(CGROUP.resolve(hierarchy).resolve(path).resolve(file)).strip();
    }

    /** Output of a process that ends by itself (the shell exits when a fork fails) or after 10 s. */
    private static String readAvailable(Process p) throws Exception {
        p.waitFor(10, TimeUnit.SECONDS);
        byte[] buf = new byte[8192];
        int n = p.getInputStream().available() > 0 ? p.getInputStream().read(buf) : 0;
        return new String(buf, 0, Math.max(n, 0), StandardCharsets.UTF_8);
    }

    private static void killAll(Path cgroup) throws Exception {
        for (int i = 0; i < 50; i++) {
            String procs = Files.readString(cgroup.resolve("cgroup.procs")).strip();
            if (procs.isEmpty()) return;
            for (String pid : procs.split("\\s+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            Thread.sleep(50);
        }
    }

    private static void waitEmpty(Path cgroup) throws Exception {
        killAll(cgroup);
        assertThat(Files.readString(cgroup.resolve("cgroup.procs")).strip()).isEmpty();
    }
}
