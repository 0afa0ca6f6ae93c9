package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.profile.Origin;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps desired limits onto the kernel files of one cgroup version, with systemd's conversions. Pure: the same
 * resource and observation give the same targets. A limit the box cannot express becomes a {@link Skip}.
 */
public final class CgroupTargets {

    /** One interface file to hold {@code value} (normalized as {@link Conversions#normalizeRead} reads it). */
    public record FileTarget(String hierarchy, String file, String value, Setting setting, Origin origin) {
        /** The key in {@link CgroupObserved#files()}. */
        public String key() {
            return hierarchy.isEmpty() ? file : hierarchy + "/" + file;
        }
    }

    public record Skip(Setting setting, String reason) {
        public String message() {
            return setting.profileName() + ": " + reason + "; skipped";
        }
    }

    public record Targets(List<FileTarget> files, List<Skip> skips) {
        public Targets {
            files = List.copyOf(files);
            skips = List.copyOf(skips);
        }

        /** The hierarchies whose directory must exist ({@code ""} on v2). */
        public List<String> hierarchies() {
            return files.stream().map(FileTarget::hierarchy).distinct().toList();
        }
    }

    private CgroupTargets() {
    }

    public static Targets of(CgroupResource r, CgroupObserved o) {
        List<FileTarget> files = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        for (Wanted w : r.limits()) {
            if (o.version() == CgroupVersion.V2) v2(w, o, files, skips);
            else v1(w, o, files, skips);
        }
        return new Targets(files, skips);
    }

    private static void v2(Wanted w, CgroupObserved o, List<FileTarget> files, List<Skip> skips) {
        Setting s = w.setting();
        if (!o.available().contains(s.v2Controller())) {
            skips.add(new Skip(s, "the " + s.v2Controller() + " controller is not available here (not in cgroup.controllers)"));
            return;
        }
        String value = switch (s) {
            case MEMORY_MAX, MEMORY_HIGH, MEMORY_SWAP_MAX -> memory(w, o.pageSize());
            case CPU_MAX -> Conversions.cpuMax(w.value());
            case CPU_WEIGHT, IO_WEIGHT -> Long.toString(w.value());
            case PIDS_MAX -> w.isMax() ? "max" : Long.toString(w.value());
        };
        files.add(new FileTarget("", s.v2File(), value, s, w.origin()));
    }

    private static void v1(Wanted w, CgroupObserved o, List<FileTarget> files, List<Skip> skips) {
        Setting s = w.setting();
        String hierarchy = switch (s) {
            case MEMORY_MAX, MEMORY_HIGH, MEMORY_SWAP_MAX -> "memory";
            case CPU_MAX, CPU_WEIGHT -> "cpu";
            case IO_WEIGHT -> "blkio";
            case PIDS_MAX -> "pids";
        };
        switch (s) {
            case MEMORY_HIGH -> {
                skips.add(new Skip(s, "cgroup v1 has no equivalent of memory.high (memory.soft_limit_in_bytes is only a reclaim hint)"));
                return;
            }
            case MEMORY_SWAP_MAX -> {
                skips.add(new Skip(s, "cgroup v1 limits memory and swap together (memory.memsw.limit_in_bytes), not swap alone"));
                return;
            }
            default -> {
            }
        }
        if (!o.available().contains(hierarchy)) {
            skips.add(new Skip(s, "the cgroup v1 " + hierarchy + " hierarchy is not mounted"));
            return;
        }
        switch (s) {
            case MEMORY_MAX -> files.add(new FileTarget(hierarchy, "memory.limit_in_bytes", memory(w, o.pageSize()), s, w.origin()));
            case CPU_MAX -> {
                if (!w.isMax()) {
                    files.add(new FileTarget(hierarchy, "cpu.cfs_period_us", Long.toString(Conversions.CPU_PERIOD_US), s, w.origin()));
                }
                files.add(new FileTarget(hierarchy, "cpu.cfs_quota_us", w.isMax() ? "max" : Long.toString(w.value()), s, w.origin()));
            }
            case CPU_WEIGHT -> files.add(new FileTarget(hierarchy, "cpu.shares",
                    Long.toString(Conversions.weightToShares(w.value())), s, w.origin()));
            case IO_WEIGHT -> {
                if (!o.rootFiles().contains("blkio/blkio.weight")) {
                    skips.add(new Skip(s, "this kernel offers no blkio.weight (the I/O scheduler is not CFQ; blkio.bfq.weight is not managed)"));
                    return;
                }
                files.add(new FileTarget(hierarchy, "blkio.weight", Long.toString(Conversions.ioWeightToBlkio(w.value())), s, w.origin()));
            }
            case PIDS_MAX -> files.add(new FileTarget(hierarchy, "pids.max", w.isMax() ? "max" : Long.toString(w.value()), s, w.origin()));
            default -> throw new IllegalStateException(s.name());
        }
    }

    private static String memory(Wanted w, long pageSize) {
        return w.isMax() ? "max" : Long.toString(Conversions.pageFloor(w.value(), pageSize));
    }
}
