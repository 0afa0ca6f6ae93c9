package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.InternalFault;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.RunLock;
import io.devbox.agent.engine.StateDir;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Facts;
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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One agent run from source to record: gathers the box's facts, pins the profiles, composes them for this box,
 * plans, applies, remembers what was applied and writes the run record. It wires the parts and holds the run's frame
 * (the state lock, recording a refused or failed run); the steps are elsewhere: pinning and reading the profiles
 * {@link SourceReader}, the planners {@link Planners}, an apply {@link ApplyRun}, the record and metrics
 * {@link RunRecorder} and its {@link RunListener}s, the prunes a changed identity causes {@link SelectorPrunes},
 * every box a repository can select {@link AllBoxes}.
 */
public final class Session {

    private final AgentOptions options;
    private final Clock clock;
    private final KindRegistry kinds;
    private final Host host;
    private final StateDir state;
    private final GitOptions git;
    private final Planners planners;
    private AgentMetrics metrics;
    private RunRecords.Retention retention = RunRecords.Retention.DEFAULT;
    private Consumer<InternalFault> faults = f -> {
    };
    private SourceReader reader;

    private Session(AgentOptions options, GitOptions git, Clock clock, KindRegistry kinds, Host host, StateDir state) {
        this.options = options;
        this.git = git;
        this.clock = clock;
        this.kinds = kinds;
        this.host = host;
        this.state = state;
        this.planners = new Planners(kinds, host);
    }

    public static Session open(AgentOptions o, Map<String, String> env, Clock clock, KindRegistry kinds) {
        return open(o, GitOptions.defaults(), env, clock, kinds);
    }

    public static Session open(AgentOptions o, GitOptions git, Map<String, String> env, Clock clock, KindRegistry kinds) {
        Host host = BoxHost.of(o, env);
        return new Session(o, git, clock, kinds, host, new StateDir(host.stateDir()));
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

    /**
     * Who is told of a kind's internal fault (an unexpected exception out of its probe, apply or finish) with its stack
     * trace: {@code --debug}. The run itself reports the resource as an internal error either way.
     */
    public Session onInternalFault(Consumer<InternalFault> listener) {
        this.faults = listener;
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
            reader = new SourceReader(options, git, state.path(), host, identity(), this::loader, planners::checker,
                    this::remoteSource);
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
        return new AllBoxes(loader(), planners::checker, identity()).check(head.snapshot(), head.notes());
    }

    /**
     * The resource ids an override may name: those the profiles declare for this box, and those the agent manages
     * (applied earlier). Throws the profile errors when the profiles cannot be read.
     */
    public Set<String> resourceIds() throws SourceException, ProfileException, IOException {
        Set<String> ids = new java.util.TreeSet<>(state.loadApplied().resources().keySet());
        Loaded loaded = load(Optional.empty());
        ids.addAll(planners.checker().declaredIds(new DesiredContext(identity(), loaded.spec(), host)));
        return ids;
    }

    private ProfileLoader loader() {
        return new ProfileLoader(new FileValidationCache(state.resolve("validated-profiles")), kinds.schema());
    }

    public HostIdentity identity() {
        Facts f = host.facts();
        return new HostIdentity(f.hostname(), options.labels(), f.user(), f.home());
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
        return runs().plan(command, kinds.kindsOf(only));
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
        return runs().apply(command, kinds.kindsOf(only), saved, stop, allowSelectorPrunes);
    }

    /**
     * The removal of everything the agent applied on this box (what {@code applied.json} lists): a plan, or with
     * {@code apply} its application, as if the profiles were empty, through each kind's own prune path. Needs no
     * source: it works on a box whose repository is gone. (No selector guard: with no profiles nothing is "declared
     * for the box as it was", and removing everything is what was asked.)
     */
    public ApplyResult prune(boolean apply, BooleanSupplier stop) throws Exception {
        return runs().prune(apply, stop);
    }

    private RecordedRuns runs() {
        RunRecorder recorder = new RunRecorder(host, List.of(new RunRecordWriter(this::runRecords),
                new RunMetrics(state.path(), this::metrics)), clock);
        return new RecordedRuns(this, options, clock, recorder, faults);
    }

    RunInfo.SourceInfo pinned() {
        return reader().pinned();
    }

    Planners planners() {
        return planners;
    }

    DesiredContext context(Loaded loaded) {
        return new DesiredContext(identity(), loaded.spec(), host);
    }

    SelectorPrunes selectorPrunes(Loaded loaded, AppliedState applied) {
        return SelectorPrunes.of(state.path(), identity(), loaded, applied, loader(), planners::checker, host);
    }

    /** A saved plan that no longer matches its inputs. */
    public static final class StalePlanException extends Exception {
        public StalePlanException(String message) {
            super(message, null, false, false);
        }
    }

    private AgentMetrics metrics() {
        if (metrics == null) metrics = AgentMetrics.unread(state.path(), null); // RunMetrics reloads before each update
        return metrics;
    }

    /** True when the run left something pending or failed. */
    public static boolean failed(RunInfo run) {
        return !run.errors().isEmpty() || run.resources().stream().anyMatch(r -> r.status() == Status.ERROR);
    }
}
