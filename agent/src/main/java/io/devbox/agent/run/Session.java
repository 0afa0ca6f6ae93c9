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
 * plans, applies, remembers what was applied and writes the run record. (The record and metrics are
 * {@link RunRecorder}'s; the box's last applied identity {@link AppliedIdentity}'s; the check of every box a
 * repository can select {@link AllBoxes}'.)
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
    /** The source of the revision this session last pinned, for the record of a run its profiles fail. */
    private RunInfo.SourceInfo pinned;

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
        if (Sources.isRemote(options)) return loadRemote(pinnedCommit);
        Snapshot snap = Sources.open(options, pinnedCommit).snapshot();
        String note = pinnedCommit.isPresent() ? null : Sources.uncommittedNote(options, snap);
        List<String> notes = note == null ? List.of() : List.of(note);
        pinned = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), null, null, null, null, List.of(), notes);
        String signature = Sources.verifyLocal(options, git, snap);
        pinned = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), signature, null, null, null, List.of(), notes);
        ProfileLoader loader = loader();
        ProfileLoader.Profiles read = loader.read(snap.profiles());
        try {
            ComposedSpec spec = loader.compose(read, identity(), snap.files());
            return new Loaded(snap, spec, Digests.profiles(snap.profiles()), pinned, List.of(), read);
        } catch (ProfileException e) {
            throw e.withNotes(notes);
        }
    }

    /** The source of a remote repository: its last good commit, fetched, verified and validated (see RemoteGitSource). */
    public RemoteGitSource remoteSource() {
        return Sources.remote(options, git, state.path(), clock, host.commands());
    }

    private Loaded loadRemote(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        RemoteGitSource source = remoteSource();
        if (pinnedCommit.isPresent()) {
            Snapshot snap = source.at(pinnedCommit.get());
            var st = io.devbox.agent.source.SourceState.read(state.path());
            pinned = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(),
                    pinnedCommit.get().equals(st.commit()) ? st.signature() : null, st.fetchedAt(), null, null, List.of(), List.of());
            ProfileLoader.Profiles read = loader().read(snap.profiles());
            ComposedSpec spec = loader().compose(read, identity(), snap.files());
            return new Loaded(snap, spec, Digests.profiles(snap.profiles()), pinned, List.of(), read);
        }
        RemoteGitSource.Resolved<Checked> r = source.resolve(this::checkAll);
        Snapshot snap = r.snapshot();
        var st = r.state();
        RunInfo.SourceInfo info = new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), r.signature(), st.fetchedAt(),
                r.problems().isEmpty() ? null : st.error(), r.problems().isEmpty() ? null : st.badCommit(),
                r.problems().isEmpty() ? List.of() : st.badCommitErrors(), r.notes());
        pinned = info;
        return new Loaded(snap, r.value().spec(), Digests.profiles(snap.profiles()), info, r.problems(), r.value().profiles());
    }

    /** A revision's profiles, every file checked, and their composition for this box. */
    private record Checked(ProfileLoader.Profiles profiles, ComposedSpec spec) {
    }

    /** Every profile file parsed and validated (selected for this box or not), composed for this box, checked by kinds. */
    private Checked checkAll(Snapshot snap) throws ProfileException, IOException {
        ProfileLoader loader = loader();
        ProfileLoader.Profiles read = loader.read(snap.profiles());
        ComposedSpec spec = loader.compose(read, identity(), snap.files());
        planner(AppliedState.empty(), List.of()).check(new DesiredContext(identity(), spec, host));
        return new Checked(read, spec);
    }

    /** Parses and validates every profile file (selected for this box or not), then composes for this box. */
    public Loaded validate() throws SourceException, ProfileException, IOException {
        Snapshot snap = Sources.isRemote(options) ? remoteSource().head() : Sources.open(options, Optional.empty()).snapshot();
        String signature = Sources.isRemote(options) ? null : Sources.verifyLocal(options, git, snap);
        String note = Sources.uncommittedNote(options, snap);
        List<String> notes = note == null ? List.of() : List.of(note);
        try {
            Checked checked = checkAll(snap);
            return new Loaded(snap, checked.spec(), Digests.profiles(snap.profiles()),
                    new RunInfo.SourceInfo(snap.repo(), snap.ref(), snap.commit(), signature, null, null, null, List.of(), notes),
                    List.of(), checked.profiles());
        } catch (ProfileException e) {
            throw e.withNotes(notes);
        }
    }

    /** {@code agent validate --all-boxes}: every combination of hostname and labels the selectors tell apart. */
    public AllBoxes.Result validateAllBoxes() throws SourceException, IOException {
        Snapshot snap = Sources.isRemote(options) ? remoteSource().head() : Sources.open(options, Optional.empty()).snapshot();
        if (!Sources.isRemote(options)) Sources.verifyLocal(options, git, snap);
        String note = Sources.uncommittedNote(options, snap);
        return new AllBoxes(loader(), () -> planner(AppliedState.empty(), List.of()), identity())
                .check(snap, note == null ? List.of() : List.of(note));
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

    /**
     * The kind names {@code only} means (a kind or its spec key: {@code systemd} is {@code unit}), sorted; empty for
     * every kind. The command line refuses unknown names before anything runs.
     */
    public List<String> kindsOf(Set<String> only) {
        List<String> out = new ArrayList<>();
        for (String name : only) {
            KindRegistry.Names n = kinds.find(name).orElseThrow(() -> new IllegalArgumentException("unknown kind '" + name + "'"));
            if (!out.contains(n.kind())) out.add(n.kind());
        }
        out.sort(null);
        return out;
    }

    /** Plans (read-only on the box) and records the run. */
    public RunInfo plan(String command, Set<String> only) throws Exception {
        Instant start = clock.instant();
        List<String> kindsOnly = kindsOf(only);
        pinned = null;
        try (RunLock ignored = lock(command)) {
            RunRecorder recorder = recorder();
            try {
                Loaded loaded = load(Optional.empty());
                AppliedState applied = state.loadApplied();
                List<Overrides.Entry> active = overrides().active(clock.instant());
                Plan plan = planner(applied, active, selectorPrunes(loaded, applied)).plan(context(loaded), Set.copyOf(kindsOnly));
                return recorder.finished(command, start, loaded, plan.resources(), List.of(), false, active.size(), kindsOnly);
            } catch (ProfileException e) {
                recorder.rejected(command, start, pinned, e, kindsOnly);
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
        List<String> kindsOnly = kindsOf(only);
        pinned = null;
        try (RunLock ignored = lock(command)) {
            RunRecorder recorder = recorder();
            try {
                return applyLocked(command, start, kindsOnly, saved, stop, allowSelectorPrunes, recorder);
            } catch (ProfileException e) {
                recorder.rejected(command, start, pinned, e, kindsOnly);
                throw e;
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
            if (refused.isEmpty()) {
                // what the box is now, for telling a changed identity's prunes from the profiles' own next time
                AppliedIdentity.of(identity()).write(state.path(), clock.instant());
            } else {
                errors.add(RunError.of(selectorPrunes.refusal(refused)));
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
