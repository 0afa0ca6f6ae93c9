package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.Applier;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.RunLock;
import io.devbox.agent.engine.StateDir;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.FactsProbe;
import io.devbox.agent.host.Host;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.FileValidationCache;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.source.RemoteGitSource;
import io.devbox.agent.source.Snapshot;
import io.devbox.agent.source.SourceException;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * One agent run from source to record: gathers the box's facts, pins the profiles, composes them for this box,
 * plans, applies, remembers what was applied and writes the run record.
 */
public final class Session {

    private final AgentOptions options;
    private final Clock clock;
    private final KindRegistry kinds;
    private final Host host;
    private final StateDir state;
    private final GitOptions git;
    private AgentMetrics metrics;
    private RunRecords.Retention retention = RunRecords.Retention.DEFAULT;

    private Session(AgentOptions options, GitOptions git, Clock clock, KindRegistry kinds, Host host, StateDir state) {
        this.options = options;
        this.git = git;
        this.clock = clock;
        this.kinds = kinds;
        this.host = host;
        this.state = state;
    }

    public static Session open(AgentOptions o, Map<String, String> env, Clock clock, KindRegistry kinds) {
        return open(o, GitOptions.defaults(), env, clock, kinds);
    }

    public static Session open(AgentOptions o, GitOptions git, Map<String, String> env, Clock clock, KindRegistry kinds) {
        Path root = o.root().toAbsolutePath().normalize();
        Facts facts = new FactsProbe(root, env).gather(o.hostname(), o.user());
        Path sysctl = o.sysctlDir() != null ? o.sysctlDir() : root.resolve("proc/sys");
        Path cgroup = o.cgroupDir() != null ? o.cgroupDir() : root.resolve("sys/fs/cgroup");
        Path stateDir = o.stateDir() != null ? o.stateDir() : defaultStateDir(root, facts, env);
        Host host = new Host(root, sysctl, cgroup, stateDir, facts, new Commands());
        return new Session(o, git, clock, kinds, host, new StateDir(stateDir));
    }

    static Path defaultStateDir(Path root, Facts facts, Map<String, String> env) {
        if (facts.root()) return root.resolve("var/lib/devbox-agent");
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("devbox-agent");
    }

    public Host host() {
        return host;
    }

    public StateDir state() {
        return state;
    }

    /** Metrics to update after every run (default: this state directory's, written to {@code metrics.prom}). */
    public Session useMetrics(AgentMetrics m) {
        this.metrics = m;
        return this;
    }

    /** How many run records to keep (default {@link RunRecords.Retention#DEFAULT}). */
    public Session useRetention(RunRecords.Retention r) {
        this.retention = r;
        return this;
    }

    public RunRecords runRecords() {
        return new RunRecords(state.resolve("runs"), retention, clock);
    }

    public Overrides overrides() {
        return new Overrides(state.path());
    }

    /** What the source holds now: the pinned commit and a digest of the profile files (no parsing, no validation). */
    public record Revision(String commit, String profilesDigest) {
    }

    /** Pins the source's current revision; cheap enough for {@code agent watch} to call every interval. */
    public Revision revision() throws SourceException {
        Snapshot snap = Sources.isRemote(options) ? remoteSource().head() : Sources.open(options, Optional.empty()).snapshot();
        return new Revision(snap.commit(), Digests.profiles(snap.profiles()));
    }


    /**
     * The pinned profiles and their composition for this box.
     *
     * @param source   what the run record says of the source (signature, fetch time, source problems)
     * @param problems source problems of this run (the last good commit was used instead of the head): run errors
     */
    public record Loaded(Snapshot snapshot, ComposedSpec spec, String profilesDigest, RunInfo.SourceInfo source,
                         List<String> problems) {
        public Loaded {
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        public Loaded(Snapshot snapshot, ComposedSpec spec, String profilesDigest) {
            this(snapshot, spec, profilesDigest, null, List.of());
        }

        RunInfo.SourceInfo sourceInfo() {
            return source != null ? source : new RunInfo.SourceInfo(snapshot.repo(), snapshot.ref(), snapshot.commit(), null);
        }
    }

    public Loaded load(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        if (Sources.isRemote(options)) return loadRemote(pinnedCommit);
        Snapshot snap = Sources.open(options, pinnedCommit).snapshot();
        String signature = Sources.verifyLocal(options, git, snap);
        ProfileLoader loader = new ProfileLoader(validationCache());
        ComposedSpec spec = loader.load(snap.profiles(), identity(), snap.files());
        return new Loaded(snap, spec, Digests.profiles(snap.profiles()),
                new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), signature), List.of());
    }

    /** The source of a remote repository: its last good commit, fetched, verified and validated (see RemoteGitSource). */
    public RemoteGitSource remoteSource() {
        return Sources.remote(options, git, state.path(), clock, host.commands());
    }

    private Loaded loadRemote(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        RemoteGitSource source = remoteSource();
        if (pinnedCommit.isPresent()) {
            Snapshot snap = source.at(pinnedCommit.get());
            ComposedSpec spec = new ProfileLoader(validationCache()).load(snap.profiles(), identity(), snap.files());
            var st = io.devbox.agent.source.SourceState.read(state.path());
            return new Loaded(snap, spec, Digests.profiles(snap.profiles()), new RunInfo.SourceInfo(snap.repo(), snap.ref(),
                    snap.commit(), pinnedCommit.get().equals(st.commit()) ? st.signature() : null, st.fetchedAt(), null, null,
                    List.of(), List.of()), List.of());
        }
        RemoteGitSource.Resolved<ComposedSpec> r = source.resolve(this::checkAll);
        Snapshot snap = r.snapshot();
        var st = r.state();
        RunInfo.SourceInfo info = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), r.signature(), st.fetchedAt(),
                r.problems().isEmpty() ? null : st.error(), r.problems().isEmpty() ? null : st.badCommit(),
                r.problems().isEmpty() ? List.of() : st.badCommitErrors(), r.notes());
        return new Loaded(snap, r.value(), Digests.profiles(snap.profiles()), info, r.problems());
    }

    /** Every profile file parsed and validated (selected for this box or not), composed for this box, checked by kinds. */
    private ComposedSpec checkAll(Snapshot snap) throws ProfileException, IOException {
        ProfileLoader loader = new ProfileLoader(validationCache());
        loader.parse(snap.profiles());
        ComposedSpec spec = loader.load(snap.profiles(), identity(), snap.files());
        planner(AppliedState.empty(), List.of()).check(new DesiredContext(identity(), spec, host));
        return spec;
    }

    /** Parses and validates every profile file (selected for this box or not), then composes for this box. */
    public Loaded validate() throws SourceException, ProfileException, IOException {
        Snapshot snap = Sources.isRemote(options) ? remoteSource().head() : Sources.open(options, Optional.empty()).snapshot();
        String signature = Sources.isRemote(options) ? null : Sources.verifyLocal(options, git, snap);
        ComposedSpec spec = checkAll(snap);
        return new Loaded(snap, spec, Digests.profiles(snap.profiles()),
                new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), signature), List.of());
    }

    private io.devbox.agent.profile.ValidationCache validationCache() {
        return new FileValidationCache(state.resolve("validated-profiles"));
    }

    public HostIdentity identity() {
        Facts f = host.facts();
        return new HostIdentity(f.hostname(), options.labels(), f.user(), f.home());
    }

    private Planner planner(AppliedState applied, List<Overrides.Entry> activeOverrides) {
        return new Planner(kinds.newRun(), host, applied, Overrides.lookup(activeOverrides));
    }

    public RunLock lock(String command) throws IOException, RunLock.HeldException {
        state.prepare();
        return RunLock.acquire(state.resolve("lock"), command, options.lockWait());
    }

    /** Where the per-box lock lives: {@code /run} on the box (under --root), whatever the state directory. */
    public static final String BOX_LOCK = "/run/devbox-agent.lock";

    /**
     * The per-box lock, held while a run changes the box: two agents with different state directories never change
     * one box at once. Taken after the profiles are read and checked (an invalid profile leaves no trace on the box)
     * and before planning, so the plan that is applied is made after any other run finished.
     */
    public RunLock lockBox(String command) throws IOException, RunLock.HeldException {
        return RunLock.acquire(host.path(BOX_LOCK), command + ", state dir " + state.path(), options.lockWait());
    }

    /** Plans (read-only on the box) and records the run. */
    public RunInfo plan(String command, Set<String> only) throws Exception {
        Instant start = clock.instant();
        try (RunLock ignored = lock(command)) {
            try {
                Loaded loaded = load(Optional.empty());
                AppliedState applied = state.loadApplied();
                List<Overrides.Entry> active = overrides().active(clock.instant());
                Plan plan = planner(applied, active).plan(new DesiredContext(identity(), loaded.spec(), host), only);
                return record(command, start, loaded, plan.resources(), List.of(), false, active.size());
            } catch (Exception e) {
                aborted(command, start, e);
                throw e;
            }
        }
    }

    /** What an apply did. */
    public record ApplyResult(RunInfo run, int applied) {
    }

    /**
     * Plans and applies. With a saved plan: the profiles are read at the plan's commit, and only its items are
     * applied; an item whose probed state moved since is refused.
     */
    public ApplyResult apply(Set<String> only, Optional<SavedPlan> saved, BooleanSupplier stop) throws Exception {
        return apply("apply", only, saved, stop);
    }

    /** {@link #apply(Set, Optional, BooleanSupplier)}, recorded under {@code command} (e.g. a watch cycle). */
    public ApplyResult apply(String command, Set<String> only, Optional<SavedPlan> saved, BooleanSupplier stop) throws Exception {
        Instant start = clock.instant();
        try (RunLock ignored = lock(command)) {
            try {
                return applyLocked(command, start, only, saved, stop);
            } catch (Exception e) {
                aborted(command, start, e);
                throw e;
            }
        }
    }

    /**
     * The removal of everything the agent applied on this box (what {@code applied.json} lists): a plan, or with
     * {@code apply} its application, as if the profiles were empty, through each kind's own prune path. Needs no
     * source: it works on a box whose repository is gone.
     */
    public ApplyResult prune(boolean apply, BooleanSupplier stop) throws Exception {
        String command = "prune";
        Instant start = clock.instant();
        try (RunLock ignored = lock(command)) {
            try {
                Loaded nothing = new Loaded(new Snapshot(options.repo() == null ? "(no profiles)" : options.repo(), options.ref(),
                        null, List.of(), io.devbox.agent.profile.RepoFiles.NONE),
                        new ComposedSpec(Map.of(), List.of(), io.devbox.agent.profile.RepoFiles.NONE), Digests.profiles(List.of()));
                if (!apply) {
                    Plan plan = planner(state.loadApplied(), List.of()).plan(new DesiredContext(identity(), nothing.spec(), host), Set.of());
                    return new ApplyResult(record(command, start, nothing, plan.resources(), List.of(), false, 0), 0);
                }
                return applyLoaded(command, start, nothing, Set.of(), Optional.empty(), stop);
            } catch (Exception e) {
                aborted(command, start, e);
                throw e;
            }
        }
    }

    private ApplyResult applyLocked(String command, Instant start, Set<String> only, Optional<SavedPlan> saved,
                                    BooleanSupplier stop) throws Exception {
        Loaded loaded = load(saved.map(SavedPlan::commit));
        if (saved.isPresent() && saved.get().profilesDigest() != null
                && !saved.get().profilesDigest().equals(loaded.profilesDigest())) {
            throw new StalePlanException("the profiles changed since the plan was made (plan again)");
        }
        return applyLoaded(command, start, loaded, only, saved, stop);
    }

    private ApplyResult applyLoaded(String command, Instant start, Loaded loaded, Set<String> only, Optional<SavedPlan> saved,
                                    BooleanSupplier stop) throws Exception {
        // the kinds' own checks of the profiles first: a profile they refuse leaves no trace on the box (not even the box lock)
        planner(AppliedState.empty(), List.of()).check(new DesiredContext(identity(), loaded.spec(), host));
        try (RunLock box = lockBox(command)) {
            AppliedState applied = state.loadApplied();
            List<Overrides.Entry> active = overrides().active(clock.instant());
            Planner planner = planner(applied, active);
            Plan plan = planner.plan(new DesiredContext(identity(), loaded.spec(), host), only);
            Applier applier = new Applier(planner, host, applied, clock);
            Applier.Outcome outcome = applier.apply(plan, saved.map(SavedPlan::fingerprints), loaded.snapshot().commit(), stop);
            state.saveApplied(applied);
            RunInfo run = record(command, start, loaded, outcome.resources(), outcome.errors(), true, active.size());
            return new ApplyResult(run, outcome.applied());
        }
    }

    /** A saved plan that no longer matches its inputs. */
    public static final class StalePlanException extends Exception {
        public StalePlanException(String message) {
            super(message, null, false, false);
        }
    }

    private RunInfo record(String command, Instant start, Loaded loaded, List<ResourcePlan> resources, List<String> errors,
                           boolean applies, int activeOverrides) throws IOException {
        Instant end = clock.instant();
        String id = io.devbox.agent.report.RunRecords.idTime(start) + "-" + command + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        List<String> all = new java.util.ArrayList<>(loaded.problems().stream().map(p -> "source: " + p).toList());
        all.addAll(errors);
        RunInfo run = new RunInfo(id, command, start.toString(), end.toEpochMilli() - start.toEpochMilli(),
                loaded.sourceInfo(), host.facts(), loaded.spec().profileNames(), loaded.profilesDigest(), resources, all);
        runRecords().write(run);
        AgentMetrics m = metrics();
        m.reload();
        if (sourceStateError()) m.sourceFetchError();
        m.runFinished(command, !failed(run), Duration.between(start, end), end, resources, loaded.snapshot().commit(),
                applies && !failed(run), activeOverrides);
        m.write();
        return run;
    }

    /** Counts a run that ended before its record (the lock is held: a run that never got it is no run). */
    private void aborted(String command, Instant start, Exception e) {
        try {
            AgentMetrics m = metrics();
            m.reload();
            if (e instanceof SourceException) m.sourceFetchError();
            Instant end = clock.instant();
            m.runAborted(command, Duration.between(start, end), end);
            m.write();
        } catch (IOException | RuntimeException metricsFailed) {
            e.addSuppressed(metricsFailed);
        }
    }

    private AgentMetrics metrics() {
        if (metrics == null) metrics = AgentMetrics.load(state.path(), null);
        return metrics;
    }

    /** True when the source state ({@code <state>/source.json}, kept by the remote source) records a fetch error. */
    private boolean sourceStateError() {
        try {
            String error = io.devbox.agent.source.SourceState.read(state.path()).error();
            return error != null && !error.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the run left something pending or failed. */
    public static boolean failed(RunInfo run) {
        return !run.errors().isEmpty() || run.resources().stream().anyMatch(r -> r.status() == Status.ERROR);
    }
}
