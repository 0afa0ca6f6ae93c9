package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.KernelFiles;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kind {@code cgroup} (spec key {@code cgroups}): creates cgroups and sets their limits on cgroup v1 or v2, and
 * where systemd is PID 1 persists a slice's limits in a drop-in. One instance serves one run.
 *
 * <p>Over 300 lines because it covers both cgroup versions and the systemd drop-in of a slice, whose probes must agree
 * field by field.
 */
public final class CgroupReconciler implements Reconciler<CgroupResource, CgroupObserved> {
    static final List<String> V1_HIERARCHIES = List.of("memory", "cpu", "blkio", "pids");
    static final List<String> V1_FILES = List.of("memory/memory.limit_in_bytes", "cpu/cpu.cfs_quota_us",
            "cpu/cpu.cfs_period_us", "cpu/cpu.shares", "blkio/blkio.weight", "pids/pids.max");
    static final String CGROUP_FIELD = "cgroup";
    static final String SUBTREE_FIELD = "subtree_control:";
    static final String DROPIN_FIELD = "dropin";

    private long pageSize;
    private boolean reloadOwed;
    /** The cgroups the profiles declare this run: an intermediate the agent made is never removed once declared. */
    private java.util.Set<String> declared = java.util.Set.of();

    @Override
    public String kind() {
        return CgroupKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return CgroupKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<CgroupResource> desired(Node section, DesiredContext context) throws ProfileException {
        List<CgroupResource> out = new CgroupSpecParser().parse(section);
        declared = out.stream().map(CgroupResource::path).collect(java.util.stream.Collectors.toUnmodifiableSet());
        return out;
    }

    @Override
    public Optional<String> unsupported(Host host) {
        if (!Files.isDirectory(host.cgroupDir())) return Optional.of("no cgroup filesystem at " + host.cgroupDir());
        return Optional.empty();
    }

    // ---------------------------------------------------------------- probe (read-only)

    @Override
    public CgroupObserved probe(CgroupResource r, Host host) throws ResourceException {
        Path cg = host.cgroupDir();
        if (!Files.isDirectory(cg)) throw new ResourceSkipped("no cgroup filesystem at " + cg);
        try {
            CgroupVersion version = Files.exists(cg.resolve("cgroup.controllers")) ? CgroupVersion.V2 : CgroupVersion.V1;
            SortedSet<String> available = new TreeSet<>();
            SortedSet<String> rootFiles = new TreeSet<>();
            TreeMap<String, Boolean> dirs = new TreeMap<>();
            TreeMap<String, String> files = new TreeMap<>();
            TreeMap<String, SortedSet<String>> subtree = new TreeMap<>();
            if (version == CgroupVersion.V2) {
                available.addAll(words(read(cg.resolve("cgroup.controllers"))));
                Path dir = SafePaths.under(cg, r.path());
                dirs.put("", Files.isDirectory(dir));
                for (Setting s : Setting.values()) {
                    String v = read(dir.resolve(s.v2File()));
                    if (v != null) files.put(s.v2File(), Conversions.normalizeRead(s.v2File(), v));
                }
                for (String anc : ancestors(r.path())) {
                    Path ad = anc.isEmpty() ? cg : SafePaths.under(cg, anc);
                    subtree.put(anc, new TreeSet<>(words(read(ad.resolve("cgroup.subtree_control")))));
                }
            } else {
                for (String h : V1_HIERARCHIES) {
                    if (!Files.isDirectory(cg.resolve(h))) continue;
                    available.add(h);
                    dirs.put(h, Files.isDirectory(SafePaths.under(cg.resolve(h), r.path())));
                }
                for (String key : V1_FILES) {
                    String h = key.substring(0, key.indexOf('/'));
                    String file = key.substring(h.length() + 1);
                    if (!available.contains(h)) continue;
                    if (Files.exists(cg.resolve(key))) rootFiles.add(key);
                    String v = read(SafePaths.under(cg.resolve(h), r.path()).resolve(file));
                    if (v != null) files.put(key, Conversions.normalizeRead(file, v));
                }
            }
            String dropin = null;
            if (r.sliceUnit() != null) dropin = read(host.path(SliceDropin.boxPath(r.sliceUnit())));
            return new CgroupObserved(version, pageSize(host), host.facts().systemd(), available, rootFiles, dirs,
                    files, subtree, dropin);
        } catch (IOException e) {
            throw new ResourceException("cannot read cgroup " + r.path() + ": " + IoErrors.describe(e), e);
        }
    }

    // ---------------------------------------------------------------- diff (pure)

    @Override
    public List<Change> diff(CgroupResource r, CgroupObserved o) {
        String id = r.id();
        List<Change> changes = new ArrayList<>();
        if (r.isRemoval()) {
            if (r.removesDropin() && o.dropin() != null) {
                changes.add(Change.of(id, r.origin(), new CgroupOp.DeleteDropin(o.dropin())));
            }
            for (String h : removableHierarchies(r, o)) {
                changes.add(Change.of(id, r.origin(), new CgroupOp.RemoveDirectory(h)));
            }
            return changes;
        }
        CgroupTargets.Targets targets = CgroupTargets.of(r, o);
        for (String h : hierarchies(r, o, targets)) {
            if (!o.exists(h)) changes.add(Change.of(id, r.origin(), new CgroupOp.MakeDirectory(h)));
        }
        if (o.version() == CgroupVersion.V2) {
            Set<String> needed = new TreeSet<>();
            targets.files().forEach(t -> needed.add(t.setting().v2Controller()));
            for (String anc : ancestors(r.path())) {
                Set<String> enabled = o.enabledIn(anc);
                if (enabled.containsAll(needed)) continue;
                TreeSet<String> after = new TreeSet<>(enabled);
                after.addAll(needed);
                changes.add(Change.of(id, r.origin(), new CgroupOp.EnableControllers(anc, new TreeSet<>(enabled), after)));
            }
        }
        for (CgroupTargets.FileTarget t : targets.files()) {
            String now = o.files().get(t.key());
            if (!t.value().equals(now)) changes.add(Change.of(id, t.origin(), new CgroupOp.SetLimit(t.file(), now, t.value())));
        }
        if (r.sliceUnit() != null && o.systemd()) {
            CgroupOp.WriteDropin write = new CgroupOp.WriteDropin(o.dropin(), SliceDropin.render(r));
            if (!write.to().equals(write.from())) changes.add(Change.of(id, r.origin(), write));
        }
        return changes;
    }

    /** The plan's warnings: fields this box cannot express, limits that will not survive a reboot. Read-only. */
    @Override
    public List<String> warnings(CgroupResource r, Host host) {
        try {
            return warningsFor(r, probe(r, host));
        } catch (ResourceException e) {
            return List.of(); // the probe's failure is the resource's status already
        }
    }

    /** Pure: the warnings for a resource given what the probe found. */
    public List<String> warningsFor(CgroupResource r, CgroupObserved o) {
        if (r.isRemoval()) return List.of();
        List<String> w = new ArrayList<>();
        CgroupTargets.of(r, o).skips().forEach(s -> w.add(s.message()));
        if (!r.limits().isEmpty()) {
            if (!o.systemd()) {
                w.add("limits are runtime-only: systemd is not PID 1 here, so nothing restores them after a reboot");
            } else if (r.sliceUnit() == null) {
                w.add("limits are runtime-only: " + r.path() + " is not a systemd slice (*.slice), so no drop-in persists them");
            }
        }
        return w;
    }

    /** The hierarchies this cgroup must exist in: v2 the one; v1 those its limits use (or all, without limits). */
    private static List<String> hierarchies(CgroupResource r, CgroupObserved o, CgroupTargets.Targets targets) {
        if (o.version() == CgroupVersion.V2) return List.of("");
        if (!targets.hierarchies().isEmpty()) return targets.hierarchies();
        if (!r.limits().isEmpty()) return List.of();
        return V1_HIERARCHIES.stream().filter(o.available()::contains).filter(h -> !h.equals("blkio")).toList();
    }

    private static List<String> removableHierarchies(CgroupResource r, CgroupObserved o) {
        if (!r.removesDirectories()) return List.of();
        if (o.version() == CgroupVersion.V2) return o.exists("") ? List.of("") : List.of();
        return o.directories().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    static String cgroupField(String hierarchy) {
        return hierarchy.isEmpty() ? CGROUP_FIELD : CGROUP_FIELD + ":" + hierarchy;
    }

    /** "a/b/c" → ["", "a", "a/b"]: every cgroup above the leaf, the root first. */
    static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        out.add("");
        String[] segs = path.split("/");
        for (int i = 1; i < segs.length; i++) out.add(String.join("/", Arrays.copyOfRange(segs, 0, i)));
        return out;
    }

    // ---------------------------------------------------------------- apply (idempotent)

    @Override
    public void apply(CgroupResource r, Change change, Host host) throws ResourceException {
        CgroupSteps steps = new CgroupSteps(r, host, declared);
        try {
            Operation.of(change, CgroupOp.class).applyWith(steps);
        } catch (IOException e) {
            throw new ResourceException(r.id() + " " + change.field() + ": " + CgroupSteps.reason(e), e);
        } finally {
            reloadOwed |= steps.reloadOwed();
        }
    }

    @Override
    public Optional<CgroupResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (!resourceId.startsWith("cgroup[") || !resourceId.endsWith("]")) return Optional.empty();
        String path = resourceId.substring("cgroup[".length(), resourceId.length() - 1);
        if (CgroupSpecParser.pathProblem(path).isPresent()) return Optional.empty();
        CgroupResource gone = new CgroupResource(path, Origin.ofFile("(no longer in any profile)"), List.of(), List.of(),
                Presence.absent(lastApplied));
        if (!gone.removesDirectories() && !gone.removesDropin()) return Optional.empty();
        return Optional.of(gone);
    }

    @Override
    public void finish(Host host) throws ResourceException {
        if (!reloadOwed || !host.facts().systemd() || host.sandboxed()) return; // never reload this machine for a sandbox
        reloadOwed = false;
        try {
            CommandResult res = host.commands().run(List.of("systemctl", "daemon-reload"), Map.of(), null, Duration.ofSeconds(90));
            if (!res.ok()) throw new ResourceException("systemctl daemon-reload after writing slice drop-ins: " + res.describe());
        } catch (IOException e) {
            throw new ResourceException("systemctl daemon-reload: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String read(Path p) throws IOException {
        try {
            return KernelFiles.read(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<String> words(String s) {
        if (s == null || s.isBlank()) return List.of();
        return Arrays.stream(s.strip().split("\\s+")).map(w -> w.startsWith("+") ? w.substring(1) : w).toList();
    }

    private long pageSize(Host host) {
        if (pageSize > 0) return pageSize;
        pageSize = 4096;
        try {
            CommandResult res = host.commands().run(List.of("getconf", "PAGESIZE"), Map.of(), null, Duration.ofSeconds(10));
            if (res.ok() && res.stdout().strip().matches("[0-9]{3,9}")) pageSize = Long.parseLong(res.stdout().strip());
        } catch (IOException e) {
            // keep the common 4 KiB
        }
        return pageSize;
    }
}
