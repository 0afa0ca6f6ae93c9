package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.Applier;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.engine.Prune;
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
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.source.RemoteGitSource;
import io.devbox.agent.source.Snapshot;
import io.devbox.agent.source.SourceException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One agent run from source to record: gathers the box's facts, pins the profiles, composes them for this box,
 * plans, applies, remembers what was applied and writes the run record. It is where the steps of a run meet (locks,
 * source, plan, apply, record, in their order and with their failure paths), so it is longer than most classes; the
 * steps themselves are elsewhere: pinning and reading the profiles {@link SourceReader}, the record and metrics
 * {@link RunRecorder}, the prunes a changed identity causes {@link SelectorPrunes}, every box a repository can select
 * {@link AllBoxes}.
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
    private SourceReader reader;

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
        // before JGit opens anything: its config files (and what it writes of them) live in the state directory
        io.devbox.agent.source.StateDirGitConfig.install(stateDir);
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

    public KindRegistry kinds() {
        return kinds;
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
     * @param source   what the run record says of the source (signature, fetch time, source problems, notes)
     * @param problems source problems of this run (the last good commit was used instead of the head): run errors
     * @param profiles every profile file read (to compose them for another identity of this box)
     */
    public record Loaded(Snapshot snapshot, ComposedSpec spec, String profilesDigest, RunInfo.SourceInfo source,
                         List<String> problems, ProfileLoader.Profiles profiles) {
        public Loaded {
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        public Loaded(Snapshot snapshot, ComposedSpec spec, String profilesDigest) {
            this(snapshot, spec, profilesDigest, null, List.of(), null);
        }

        RunInfo.SourceInfo sourceInfo() {
            return source != null ? source : new RunInfo.SourceInfo(snapshot.repo(), snapshot.ref(), snapshot.commit(), null);
        }
    }

    public Loaded load(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        return reader().load(pinnedCommit);
    }

    private SourceReader reader() {
        if (reader == null) {
            reader = new SourceReader(options, git, state.path(), host, identity(), this::loader,
                    () -> planner(AppliedState.empty(), List.of()), this::remoteSource);
        }
        return reader;
    }

    /** The source of a remote repository: its last good commit, fetched, verified and validated (see RemoteGitSource). */
    public RemoteGitSource remoteSource() {
        return Sources.remote(options, git, state.path(), clock, host.commands());
    }

    /** Parses and validates every profile file (selected for this box or not), then composes for this box. */
    public Loaded validate() throws SourceException, ProfileException, IOException {
        return reader().validate();
    }

    /** {@code agent validate --all-boxes}: every combination of hostname and labels the selectors tell apart. */
    public AllBoxes.Result validateAllBoxes() throws SourceException, IOException {
        SourceReader.Head head = reader().head();
        return new AllBoxes(loader(), () -> planner(AppliedState.empty(), List.of()), identity()).check(head.snapshot(), head.notes());
    }

    /**
     * The resource ids an override may name: those the profiles declare for this box, and those the agent manages
     * (applied earlier). Throws the profile errors when the profiles cannot be read.
     */
    public Set<String> resourceIds() throws SourceException, ProfileException, IOException {
        Set<String> ids = new java.util.TreeSet<>(state.loadApplied().resources().keySet());
        Loaded loaded = load(Optional.empty());
        ids.addAll(planner(AppliedState.empty(), List.of()).declaredIds(new DesiredContext(identity(), loaded.spec(), host)));
        return ids;
    }

    private ProfileLoader loader() {
        return new ProfileLoader(new FileValidationCache(state.resolve("validated-profiles")));
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
        List<String> kindsOnly = kinds.kindsOf(only);
        try (RunLock ignored = lock(command)) {
            RunRecorder recorder = recorder();
            try {
                Loaded loaded = load(Optional.empty());
                AppliedState applied = state.loadApplied();
                List<Overrides.Entry> active = overrides().active(clock.instant());
                Plan plan = planner(applied, active, selectorPrunes(loaded, applied)).plan(context(loaded), Set.copyOf(kindsOnly));
                return recorder.finished(command, start, loaded, plan.resources(), List.of(), false, active.size(), kindsOnly);
            } catch (ProfileException e) {
                recorder.rejected(command, start, reader().pinned(), e, kindsOnly);
                throw e;
            } catch (Exception e) {
                recorder.aborted(command, start, e);
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
        return apply("apply", only, saved, stop, false);
    }

    /**
     * {@link #apply(Set, Optional, BooleanSupplier)}, recorded under {@code command} (e.g. a watch cycle).
     *
     * @param allowSelectorPrunes also prune what the profiles declare only for this box's previous hostname or labels
     */
    public ApplyResult apply(String command, Set<String> only, Optional<SavedPlan> saved, BooleanSupplier stop,
                             boolean allowSelectorPrunes) throws Exception {
        Instant start = clock.instant();
        List<String> kindsOnly = kinds.kindsOf(only);
        try (RunLock ignored = lock(command)) {
            RunRecorder recorder = recorder();
            try {
                return applyLocked(command, start, kindsOnly, saved, stop, allowSelectorPrunes, recorder);
            } catch (ProfileException e) {
                recorder.rejected(command, start, reader().pinned(), e, kindsOnly);
                throw e;
            } catch (Exception e) {
                recorder.aborted(command, start, e);
                throw e;
            }
        }
    }

    /**
     * The removal of everything the agent applied on this box (what {@code applied.json} lists): a plan, or with
     * {@code apply} its application, as if the profiles were empty, through each kind's own prune path. Needs no
     * source: it works on a box whose repository is gone. (No selector guard: with no profiles nothing is "declared
     * for the box as it was", and removing everything is what was asked.)
     */
    public ApplyResult prune(boolean apply, BooleanSupplier stop) throws Exception {
        String command = "prune";
        Instant start = clock.instant();
        try (RunLock ignored = lock(command)) {
            RunRecorder recorder = recorder();
            try {
                Loaded nothing = new Loaded(new Snapshot(options.repo() == null ? "(no profiles)" : options.repo(), options.ref(),
                        null, List.of(), io.devbox.agent.profile.RepoFiles.NONE),
                        new ComposedSpec(Map.of(), List.of(), io.devbox.agent.profile.RepoFiles.NONE), Digests.profiles(List.of()));
                if (!apply) {
                    Plan plan = planner(state.loadApplied(), List.of()).plan(context(nothing), Set.of());
                    return new ApplyResult(recorder.finished(command, start, nothing, plan.resources(), List.of(), false, 0, List.of()), 0);
                }
                return applyLoaded(command, start, nothing, List.of(), Optional.empty(), stop, true, recorder);
            } catch (Exception e) {
                recorder.aborted(command, start, e);
                throw e;
            }
        }
    }

    private ApplyResult applyLocked(String command, Instant start, List<String> only, Optional<SavedPlan> saved,
                                    BooleanSupplier stop, boolean allowSelectorPrunes, RunRecorder recorder) throws Exception {
        Loaded loaded = load(saved.map(SavedPlan::commit));
        if (saved.isPresent() && saved.get().profilesDigest() != null
                && !saved.get().profilesDigest().equals(loaded.profilesDigest())) {
            throw new StalePlanException("the profiles changed since the plan was made (plan again)");
        }
        return applyLoaded(command, start, loaded, only, saved, stop, allowSelectorPrunes, recorder);
    }

    private ApplyResult applyLoaded(String command, Instant start, Loaded loaded, List<String> only, Optional<SavedPlan> saved,
                                    BooleanSupplier stop, boolean allowSelectorPrunes, RunRecorder recorder) throws Exception {
        // the kinds' own checks of the profiles first: a profile they refuse leaves no trace on the box (not even the box lock)
        planner(AppliedState.empty(), List.of()).check(context(loaded));
        try (RunLock box = lockBox(command)) {
            AppliedState applied = state.loadApplied();
            List<Overrides.Entry> active = overrides().active(clock.instant());
            SelectorPrunes selectorPrunes = selectorPrunes(loaded, applied);
            Planner planner = planner(applied, active, selectorPrunes);
            Plan plan = planner.plan(context(loaded), Set.copyOf(only));
            Applier applier = new Applier(planner, host, applied, clock);
            Applier.Outcome outcome = applier.apply(plan, saved.map(SavedPlan::fingerprints), loaded.snapshot().commit(), stop,
                    allowSelectorPrunes);
            state.saveApplied(applied);
            List<RunError> errors = new ArrayList<>(outcome.errors().stream().map(RunError::of).toList());
            List<ResourcePlan> refused = outcome.resources().stream()
                    .filter(r -> r.prune() == Prune.SELECTOR && r.status() == Status.SKIPPED).toList();
            if (!refused.isEmpty()) {
                errors.add(RunError.of(selectorPrunes.refusal(refused)));
            } else if (only.isEmpty()) {
                // what the box is now, for telling a changed identity's prunes from the profiles' own next time; only
                // after a run that covered every kind (else the kinds left out would lose their guard)
                AppliedIdentity.of(identity()).write(state.path(), clock.instant());
            }
            RunInfo run = recorder.finished(command, start, loaded, outcome.resources(), errors, true, active.size(), only);
            return new ApplyResult(run, outcome.applied());
        }
    }

    private DesiredContext context(Loaded loaded) {
        return new DesiredContext(identity(), loaded.spec(), host);
    }

    private Planner planner(AppliedState applied, List<Overrides.Entry> activeOverrides, Function<String, Optional<String>> selectorPrunes) {
        return new Planner(kinds.newRun(), host, applied, Overrides.lookup(activeOverrides), selectorPrunes);
    }

    private SelectorPrunes selectorPrunes(Loaded loaded, AppliedState applied) {
        return SelectorPrunes.of(state.path(), identity(), loaded, applied, loader(), () -> planner(AppliedState.empty(), List.of()), host);
    }

    /** A saved plan that no longer matches its inputs. */
    public static final class StalePlanException extends Exception {
        public StalePlanException(String message) {
            super(message, null, false, false);
        }
    }

    private RunRecorder recorder() {
        return new RunRecorder(host, state.path(), this::runRecords, this::metrics, clock);
    }

    private AgentMetrics metrics() {
        if (metrics == null) metrics = AgentMetrics.load(state.path(), null);
        return metrics;
    }

    /** True when the run left something pending or failed. */
    public static boolean failed(RunInfo run) {
        return !run.errors().isEmpty() || run.resources().stream().anyMatch(r -> r.status() == Status.ERROR);
    }
}
