package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.kinds.systemd.UnitNames;
import io.devbox.agent.kinds.systemd.UnitReconciler;
import io.devbox.agent.kinds.systemd.UnitResource;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Kind {@code runner} (spec key {@code runner}): a GitHub Actions self-hosted runner. {@code runner[NAME]} is the
 * package in installDir at the pinned version and its registration (url, name, labels, ephemeral, group); the
 * runner's service {@code unit[actions.runner.<scope>.<NAME>.service]} comes after it and is converged by the systemd
 * kind's {@link UnitReconciler} (one implementation of unit files, daemon-reload, enable, start and verify).
 * Upgrades and reconfigurations of a registered runner are disruptive and deferred (skipped) while a job runs,
 * unless {@code force: true}. One instance serves one run.
 *
 * <p>Over 300 lines because registration, package install and the busy-runner guard are one lifecycle whose order
 * (deregister before reinstall, defer while a job runs) must be read together.
 */
public final class RunnerReconciler implements Reconciler<RunnerResource, RunnerObserved> {
    static final String VERSION = "version";
    static final String URL = "url";
    static final String NAME = "name";
    static final String LABELS = "labels";
    static final String EPHEMERAL = "ephemeral";
    static final String GROUP = "group";
    static final String REGISTRATION = "registration";
    static final String INSTALLED = "installed";
    static final String NO_LABELS = "(none)";
    static final String DEFAULT_GROUP = "(default)";
    private static final Pattern RUNNER_ID = Pattern.compile("runner\\[([A-Za-z0-9._-]{1,64})]");

    private final RunningJobs jobs;
    private final UnitReconciler units;
    private final RunnerActions actions;
    /** This run's runner, for removal(): a renamed runner keeps its directory. Null when the section is absent. */
    private RunnerSpec current;

    public RunnerReconciler() {
        this(Downloader.standard(), TarGzExtractor.standard(), System.getenv(), Path.of("/proc"), new UnitReconciler());
    }

    /**
     * @param agentEnv the agent's environment (for tokenEnv)
     * @param proc     the proc filesystem in which running jobs are looked for
     */
    public RunnerReconciler(Downloader downloader, TarGzExtractor extractor, Map<String, String> agentEnv, Path proc,
                            UnitReconciler units) {
        this.jobs = new RunningJobs(proc);
        this.units = units;
        this.actions = new RunnerActions(new RunnerInstaller(downloader, extractor), new RunnerConfig(agentEnv), units);
    }

    @Override
    public String kind() {
        return RunnerKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return RunnerKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<RunnerResource> desired(Node section, DesiredContext context) throws ProfileException {
        RunnerSpec s = RunnerSpecParser.parse(section, context);
        if (context.host() != null) {
            String problem = RunnerInstaller.parentProblem(context.host(), s.installDir());
            if (problem != null) throw new ProfileException(s.originOf("installDir"), "runner.installDir " + s.installDir() + ": " + problem);
        }
        String unit = s.unitName();
        Optional<String> bad = UnitNames.unitProblem(unit);
        if (bad.isPresent()) throw new ProfileException(s.originOf("name"), "runner: the service name " + bad.get());
        current = s;
        UnitResource u = new UnitResource(unit, s.origin(), RunnerLayout.unitContent(s.url(), s.name(), s.installDir(), s.runAs()),
                Map.of(), UnitResource.Enablement.ENABLED, UnitResource.RunState.STARTED, true,
                List.of(RunnerResource.idOf(s.name())));
        return List.of(new RunnerResource.Runner(s), new RunnerResource.Service(u));
    }

    @Override
    public Optional<RunnerResource> removal(String resourceId, Map<String, String> lastApplied) {
        var m = RUNNER_ID.matcher(resourceId);
        if (m.matches()) {
            return Optional.of(RunnerResource.Runner.absent(m.group(1), current != null ? current.installDir() : null,
                    Presence.absent(lastApplied)));
        }
        if (resourceId.startsWith("unit[actions.runner.") && resourceId.endsWith(".service]")) {
            return units.removal(resourceId, lastApplied).map(RunnerResource.Service::new);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- probe (read-only)

    @Override
    public RunnerObserved probe(RunnerResource desired, Host host) throws ResourceException {
        if (desired instanceof RunnerResource.Runner r) return r.presence().isPresent() ? probeInstall(r, host) : probeRemoval(r, host);
        return new RunnerObserved.ServiceState(units.probe(((RunnerResource.Service) desired).unit(), host));
    }

    private RunnerObserved.InstallState probeInstall(RunnerResource.Runner i, Host host) throws ResourceException {
        RunnerObserved.InstallState st = inspect(i.spec(), host);
        if (st.job() != null && !i.spec().force()) {
            List<Change> pending = diff(i, st);
            if (!pending.isEmpty()) {
                throw new ResourceSkipped("deferred while a job runs (" + st.job() + "): " + pending.stream()
                        .map(c -> c.field() + " " + show(c.from()) + " -> " + show(c.to())).collect(Collectors.joining(", "))
                        + "; the first apply after the job ends does it (or set runner.force: true to interrupt the job)");
            }
        }
        return st;
    }

    /** The state of the install directory and its registration, without the job deferral. */
    RunnerObserved.InstallState inspect(RunnerSpec s, Host host) throws ResourceException {
        Path dir = host.path(s.installDir());
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new RunnerObserved.InstallState(false, false, null, null, null, null, null, false, null, null);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new RunnerObserved.InstallState(true, false, null, "not a directory", null, null, null, false, null, null);
        }
        boolean marker = RunnerInstaller.hasMarker(host, dir);
        RunnerFiles.VersionAnswer v = RunnerFiles.version(host, dir, s.runAs());
        RunnerFiles.Registration reg = RunnerFiles.registration(host, dir);
        String labels = null;
        boolean ephemeral = false;
        String group = null;
        if (reg != null) {
            try {
                Optional<RunnerRecord> rec = RunnerRecord.read(host, reg.agentName() == null ? s.name() : reg.agentName());
                if (rec.isPresent() && rec.get().registration() != null
                        && Objects.equals(RunnerLayout.normalizeUrl(rec.get().registration().url()), RunnerLayout.normalizeUrl(reg.gitHubUrl()))) {
                    RunnerRecord.Registration r = rec.get().registration();
                    labels = r.labels();
                    ephemeral = r.ephemeral();
                    group = r.group();
                }
            } catch (IOException e) {
                throw new ResourceException(e.getMessage(), e);
            }
        }
        String job = jobs.find(dir).orElse(null);
        return new RunnerObserved.InstallState(true, marker, v.version(), v.problem(),
                reg == null ? null : RunnerLayout.normalizeUrl(reg.gitHubUrl()), reg == null ? null : reg.agentName(),
                labels, ephemeral, group, job);
    }

    private RunnerObserved.RemovalState probeRemoval(RunnerResource.Runner r, Host host) throws ResourceException {
        Optional<RunnerRecord> rec;
        try {
            rec = RunnerRecord.read(host, r.name());
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        if (rec.isEmpty() || rec.get().installDir() == null) return new RunnerObserved.RemovalState(null, false, false, false);
        String installDir = rec.get().installDir();
        if (installDir.equals(r.successorInstallDir())) return new RunnerObserved.RemovalState(installDir, true, false, false);
        Path dir = host.path(installDir);
        boolean exists = RunnerInstaller.hasMarker(host, dir);
        boolean registered = exists && isFile(host, dir.resolve(".runner"));
        return new RunnerObserved.RemovalState(installDir, false, exists, registered);
    }

    // ---------------------------------------------------------------- diff (pure)

    @Override
    public List<Change> diff(RunnerResource desired, RunnerObserved observed) {
        if (desired instanceof RunnerResource.Runner r) {
            return r.presence().isPresent() ? installDiff(r, (RunnerObserved.InstallState) observed)
                    : removalDiff(r, (RunnerObserved.RemovalState) observed);
        }
        return units.diff(((RunnerResource.Service) desired).unit(), ((RunnerObserved.ServiceState) observed).unit());
    }

    private static List<Change> installDiff(RunnerResource.Runner i, RunnerObserved.InstallState st) {
        RunnerSpec s = i.spec();
        String id = i.id();
        List<Change> changes = new ArrayList<>();
        if (!st.installed() || !s.version().equals(st.version())) {
            // an upgrade stops the service (and any job) and swaps the package under it
            changes.add(Change.of(id, s.originOf("version"), new RunnerOp.Install(describeVersion(st), s.version(), st.installed())));
        }
        boolean reg = st.registered();
        addRegistration(changes, id, URL, reg ? st.url() : null, s.url(), s.originOf("url"), reg);
        addRegistration(changes, id, NAME, reg ? st.name() : null, s.name(), s.originOf("name"), reg);
        addRegistration(changes, id, LABELS, reg ? st.labels() : null, labelsOf(s.labels()), s.originOf("labels"), reg);
        if (s.ephemeral() || (reg && st.ephemeral())) {
            addRegistration(changes, id, EPHEMERAL, reg ? String.valueOf(st.ephemeral()) : null, String.valueOf(s.ephemeral()), s.originOf("ephemeral"), reg);
        }
        if (s.group() != null || (reg && st.group() != null)) {
            addRegistration(changes, id, GROUP, reg ? groupOf(st.group()) : null, groupOf(s.group()), s.originOf("group"), reg);
        }
        return changes;
    }

    private static void addRegistration(List<Change> changes, String id, String field, String from, String to,
                                        io.devbox.agent.profile.Origin origin, boolean registered) {
        if (Objects.equals(from, to)) return;
        // re-registering stops the service and replaces the registration
        changes.add(Change.of(id, origin, new RunnerOp.Register(field, from, to, registered)));
    }

    private static List<Change> removalDiff(RunnerResource.Runner r, RunnerObserved.RemovalState st) {
        List<Change> changes = new ArrayList<>();
        if (st.installDir() == null || st.takenOver()) return changes;
        if (st.registered()) changes.add(Change.of(r.id(), null, new RunnerOp.Unregister()));
        if (st.exists()) changes.add(Change.of(r.id(), null, new RunnerOp.DeleteInstall(st.installDir())));
        return changes;
    }

    static String labelsOf(List<String> labels) {
        return labels.isEmpty() ? NO_LABELS : RunnerLayout.labels(labels);
    }

    private static String groupOf(String group) {
        return group == null ? DEFAULT_GROUP : group;
    }

    private static String describeVersion(RunnerObserved.InstallState st) {
        if (!st.exists()) return null;
        if (!st.marker()) return "present but not installed by devbox-agent";
        if (st.problem() != null) return "incomplete (" + st.problem() + ")";
        return st.version();
    }

    private static String show(String v) {
        return v == null ? "(absent)" : v;
    }

    @Override
    public List<String> warnings(RunnerResource desired, Host host) {
        if (desired instanceof RunnerResource.Service s) return units.warnings(s.unit(), host);
        if (desired instanceof RunnerResource.Runner i && i.presence().isPresent() && i.spec().tokenFile() != null) {
            Path f = host.path(i.spec().tokenFile());
            try {
                var entry = host.fs().stat(f);
                if (entry.isEmpty()) return List.of();
                Set<PosixFilePermission> p = entry.get().permissions();
                if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                    return List.of("the registration token file " + i.spec().tokenFile() + " is readable by other users: chmod 600 it");
                }
            } catch (IOException | UnsupportedOperationException e) {
                return List.of();
            }
        }
        return List.of();
    }

    // ---------------------------------------------------------------- apply (idempotent)

    @Override
    public void apply(RunnerResource desired, Change change, Host host) throws ResourceException {
        apply(desired, List.of(change), host, new ArrayList<>());
    }

    /**
     * Whole-resource apply: {@code runner[NAME]} converges from all its changes at once (one stop of the service for
     * an upgrade and a re-registration); the runner's unit goes through the systemd kind, change by change.
     */
    @Override
    public void apply(RunnerResource desired, List<Change> changes, Host host, List<Change> done) throws ResourceException {
        if (desired instanceof RunnerResource.Service s) {
            for (Change c : changes) {
                units.apply(s.unit(), c, host);
                done.add(c);
            }
            return;
        }
        RunnerResource.Runner r = (RunnerResource.Runner) desired;
        List<RunnerOp> ops = new ArrayList<>(changes.size());
        for (Change c : changes) {
            RunnerOp op = Operation.of(c, RunnerOp.class);
            if (op.prunes() == r.presence().isPresent()) {
                throw new IllegalArgumentException(r.id() + ": " + op + " does not belong to a " + (op.prunes() ? "declared" : "pruned") + " runner");
            }
            ops.add(op);
        }
        if (r.presence().isPresent()) {
            RunnerObserved.InstallState st = inspect(r.spec(), host);
            actions.converge(r.spec(), ops, st, installDiff(r, st), host);
        } else {
            actions.remove(r, ops, host);
        }
        done.addAll(changes);
    }

    /** A regular file (not a link) at {@code p}, looked at without following links: the runner tree is runAs's. */
    static boolean isFile(Host host, Path p) throws ResourceException {
        try {
            return host.fs().stat(p).filter(e -> e.kind() == io.devbox.agent.host.BoxFs.Entry.Kind.FILE).isPresent();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    @Override
    public void finish(Host host) throws ResourceException {
        units.finish(host);
    }
}
