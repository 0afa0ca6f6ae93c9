package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
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

    private final RunnerInstaller installer;
    private final RunnerConfig config;
    private final RunningJobs jobs;
    private final UnitReconciler units;
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
        this.installer = new RunnerInstaller(downloader, extractor);
        this.config = new RunnerConfig(agentEnv);
        this.jobs = new RunningJobs(proc);
        this.units = units;
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
                List.of(RunnerResource.idOf(s.name())), null);
        return List.of(new RunnerResource.Install(s), new RunnerResource.Service(u));
    }

    @Override
    public Optional<RunnerResource> removal(String resourceId, Map<String, String> lastApplied) {
        var m = RUNNER_ID.matcher(resourceId);
        if (m.matches()) {
            return Optional.of(new RunnerResource.Removal(m.group(1), current != null ? current.installDir() : null));
        }
        if (resourceId.startsWith("unit[actions.runner.") && resourceId.endsWith(".service]")) {
            return units.removal(resourceId, lastApplied).map(RunnerResource.Service::new);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- probe (read-only)

    @Override
    public RunnerObserved probe(RunnerResource desired, Host host) throws ResourceException {
        if (desired instanceof RunnerResource.Install i) return probeInstall(i, host);
        if (desired instanceof RunnerResource.Removal r) return probeRemoval(r, host);
        return new RunnerObserved.ServiceState(units.probe(((RunnerResource.Service) desired).unit(), host));
    }

    private RunnerObserved.InstallState probeInstall(RunnerResource.Install i, Host host) throws ResourceException {
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

    private RunnerObserved.RemovalState probeRemoval(RunnerResource.Removal r, Host host) throws ResourceException {
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
        if (desired instanceof RunnerResource.Install i) return installDiff(i, (RunnerObserved.InstallState) observed);
        if (desired instanceof RunnerResource.Removal r) return removalDiff(r, (RunnerObserved.RemovalState) observed);
        return units.diff(((RunnerResource.Service) desired).unit(), ((RunnerObserved.ServiceState) observed).unit());
    }

    private static List<Change> installDiff(RunnerResource.Install i, RunnerObserved.InstallState st) {
        RunnerSpec s = i.spec();
        String id = i.id();
        List<Change> changes = new ArrayList<>();
        if (!st.installed() || !s.version().equals(st.version())) {
            Change c = Change.of(id, VERSION, Layer.PERSISTED, describeVersion(st), s.version(), s.originOf("version"));
            // an upgrade stops the service (and any job) and swaps the package under it
            changes.add(st.installed() ? c.asDisruptive() : c);
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
        Change c = Change.of(id, field, Layer.PERSISTED, from, to, origin);
        // re-registering stops the service and replaces the registration
        changes.add(registered ? c.asDisruptive() : c);
    }

    private static List<Change> removalDiff(RunnerResource.Removal r, RunnerObserved.RemovalState st) {
        List<Change> changes = new ArrayList<>();
        if (st.installDir() == null || st.takenOver()) return changes;
        if (st.registered()) changes.add(Change.of(r.id(), REGISTRATION, Layer.PERSISTED, "registered", null, null).asDisruptive());
        if (st.exists()) changes.add(Change.of(r.id(), INSTALLED, Layer.PERSISTED, st.installDir(), null, null));
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
        if (desired instanceof RunnerResource.Install i && i.spec().tokenFile() != null) {
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
        if (desired instanceof RunnerResource.Install i) converge(i.spec(), host);
        else if (desired instanceof RunnerResource.Removal r) remove(r, host);
        else units.apply(((RunnerResource.Service) desired).unit(), change, host);
    }

    /**
     * Brings the install directory and the registration to the spec in one go (each change of the resource calls it;
     * the first does the work, the others find nothing left to do).
     */
    private void converge(RunnerSpec s, Host host) throws ResourceException {
        RunnerObserved.InstallState st = inspect(s, host);
        List<Change> pending = installDiff(new RunnerResource.Install(s), st);
        if (pending.isEmpty()) return;
        if (st.job() != null && !s.force()) {
            throw new ResourceException("deferred: a job started since the plan (" + st.job() + "); apply again after it ends, or set runner.force: true");
        }
        boolean upgrade = pending.stream().anyMatch(c -> c.field().equals(VERSION));
        boolean reregister = pending.stream().anyMatch(c -> !c.field().equals(VERSION)) || !st.registered();
        // the service runs from this directory: stop it while its files or its registration are replaced
        String runningUnit = st.registered() && st.url() != null && st.name() != null ? RunnerLayout.unitName(st.url(), st.name()) : s.unitName();
        boolean stopped = units.stopIfActive(runningUnit, host);
        ResourceException failure = null;
        try {
            Optional<RunnerRecord> old = RunnerRecord.read(host, s.name());
            RunnerRecord.Registration kept = old.map(RunnerRecord::registration).orElse(null);
            // written before anything changes on the box, so that a removal later knows what to remove
            RunnerRecord.of(s, kept).write(host);
            if (upgrade) installer.install(s, host);
            if (reregister) {
                Path dir = host.path(s.installDir());
                if (exists(host, dir.resolve(".runner"))) {
                    config.unregister(host, dir, s.runAs(), new RunnerConfig.TokenSource(s.tokenFile(), s.tokenEnv()),
                            st.url() != null ? st.url() : s.url());
                }
                config.register(s, host);
                RunnerRecord.of(s, new RunnerRecord.Registration(s.url(), labelsOf(s.labels()), s.ephemeral(), s.group())).write(host);
                forgetRenamed(s, host);
            }
        } catch (ResourceException e) {
            failure = e;
        } catch (IOException e) {
            failure = new ResourceException("cannot write the agent's record of runner " + s.name() + ": " + e.getMessage(), e);
        }
        // the same unit runs again, also after a failure (the old package or registration is still in place); a renamed
        // runner's new unit is started by its own resource
        if (stopped && runningUnit.equals(s.unitName())) {
            try {
                units.startAgain(runningUnit, host);
            } catch (ResourceException e) {
                if (failure == null) throw e;
                failure = new ResourceException(failure.getMessage() + "; starting " + runningUnit + " again failed too: " + e.getMessage());
            }
        }
        if (failure != null) throw failure;
    }

    /** Records of other names for the same directory belong to this runner's former name: it replaced them. */
    private static void forgetRenamed(RunnerSpec s, Host host) throws IOException {
        for (String n : RunnerRecord.names(host)) {
            if (n.equals(s.name())) continue;
            Optional<RunnerRecord> r = RunnerRecord.read(host, n);
            if (r.isPresent() && s.installDir().equals(r.get().installDir())) RunnerRecord.delete(host, n);
        }
    }

    /** Stops the service, unregisters (config.sh remove), deletes the install directory, forgets the record. */
    private void remove(RunnerResource.Removal r, Host host) throws ResourceException {
        Optional<RunnerRecord> rec;
        try {
            rec = RunnerRecord.read(host, r.name());
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        if (rec.isEmpty() || rec.get().installDir() == null || rec.get().installDir().equals(r.successorInstallDir())) return;
        RunnerRecord record = rec.get();
        Path dir = host.path(record.installDir());
        if (record.unit() != null) units.stopIfActive(record.unit(), host);
        boolean ours = RunnerInstaller.hasMarker(host, dir);
        if (ours && isFile(host, dir.resolve(".runner"))) {
            RunnerFiles.Registration reg = RunnerFiles.registration(host, dir);
            String url = reg != null && reg.gitHubUrl() != null ? reg.gitHubUrl()
                    : record.registration() != null ? record.registration().url() : null;
            config.unregister(host, dir, record.runAs(), new RunnerConfig.TokenSource(record.tokenFile(), record.tokenEnv()), url);
        }
        if (ours) RunnerInstaller.delete(host, record.installDir());
        try {
            RunnerRecord.delete(host, r.name());
        } catch (IOException e) {
            throw new ResourceException("cannot delete the agent's record of runner " + r.name() + ": " + e.getMessage(), e);
        }
    }

    /** A regular file (not a link) at {@code p}, looked at without following links: the runner tree is runAs's. */
    private static boolean isFile(Host host, Path p) throws ResourceException {
        try {
            return host.fs().stat(p).filter(e -> e.kind() == io.devbox.agent.host.BoxFs.Entry.Kind.FILE).isPresent();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    private static boolean exists(Host host, Path p) throws ResourceException {
        try {
            return host.fs().stat(p).isPresent();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    @Override
    public void finish(Host host) throws ResourceException {
        units.finish(host);
    }
}
