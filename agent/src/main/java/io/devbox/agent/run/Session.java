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
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.FileValidationCache;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.source.Snapshot;
import io.devbox.agent.source.SourceException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AgentOptions options;
    private final Clock clock;
    private final KindRegistry kinds;
    private final Host host;
    private final StateDir state;

    private Session(AgentOptions options, Clock clock, KindRegistry kinds, Host host, StateDir state) {
        this.options = options;
        this.clock = clock;
        this.kinds = kinds;
        this.host = host;
        this.state = state;
    }

    public static Session open(AgentOptions o, Map<String, String> env, Clock clock, KindRegistry kinds) {
        Path root = o.root().toAbsolutePath().normalize();
        Facts facts = new FactsProbe(root, env).gather(o.hostname(), o.user());
        Path sysctl = o.sysctlDir() != null ? o.sysctlDir() : root.resolve("proc/sys");
        Path cgroup = o.cgroupDir() != null ? o.cgroupDir() : root.resolve("sys/fs/cgroup");
        Path stateDir = o.stateDir() != null ? o.stateDir() : defaultStateDir(root, facts, env);
        Host host = new Host(root, sysctl, cgroup, stateDir, facts, new Commands());
        return new Session(o, clock, kinds, host, new StateDir(stateDir));
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

    /** The pinned profiles and their composition for this box. */
    public record Loaded(Snapshot snapshot, ComposedSpec spec, String profilesDigest) {
        RunInfo.SourceInfo sourceInfo() {
            return new RunInfo.SourceInfo(snapshot.repo(), snapshot.ref(), snapshot.commit(), null);
        }
    }

    public Loaded load(Optional<String> pinnedCommit) throws SourceException, ProfileException, IOException {
        Snapshot snap = Sources.open(options, pinnedCommit).snapshot();
        ProfileLoader loader = new ProfileLoader(validationCache());
        ComposedSpec spec = loader.load(snap.profiles(), identity(), snap.files());
        return new Loaded(snap, spec, Digests.profiles(snap.profiles()));
    }

    /** Parses and validates every profile file (selected for this box or not), then composes for this box. */
    public Loaded validate() throws SourceException, ProfileException, IOException {
        Snapshot snap = Sources.open(options, Optional.empty()).snapshot();
        ProfileLoader loader = new ProfileLoader(validationCache());
        loader.parse(snap.profiles());
        ComposedSpec spec = loader.load(snap.profiles(), identity(), snap.files());
        planner(AppliedState.empty()).check(new DesiredContext(identity(), spec));
        return new Loaded(snap, spec, Digests.profiles(snap.profiles()));
    }

    private io.devbox.agent.profile.ValidationCache validationCache() {
        return new FileValidationCache(state.resolve("validated-profiles"));
    }

    public HostIdentity identity() {
        Facts f = host.facts();
        return new HostIdentity(f.hostname(), options.labels(), f.user(), f.home());
    }

    private Planner planner(AppliedState applied) {
        return new Planner(kinds.newRun(), host, applied, id -> Optional.empty());
    }

    public RunLock lock(String command) throws IOException, RunLock.HeldException {
        state.prepare();
        return RunLock.acquire(state.resolve("lock"), command, options.lockWait());
    }

    /** Plans (read-only on the box) and records the run. */
    public RunInfo plan(String command, Set<String> only) throws Exception {
        Instant start = clock.instant();
        try (RunLock ignored = lock(command)) {
            Loaded loaded = load(Optional.empty());
            AppliedState applied = state.loadApplied();
            Plan plan = planner(applied).plan(new DesiredContext(identity(), loaded.spec()), only);
            return record(command, start, loaded, plan.resources(), List.of());
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
        Instant start = clock.instant();
        try (RunLock ignored = lock("apply")) {
            Loaded loaded = load(saved.map(SavedPlan::commit));
            if (saved.isPresent() && saved.get().profilesDigest() != null
                    && !saved.get().profilesDigest().equals(loaded.profilesDigest())) {
                throw new StalePlanException("the profiles changed since the plan was made (plan again)");
            }
            AppliedState applied = state.loadApplied();
            Planner planner = planner(applied);
            Plan plan = planner.plan(new DesiredContext(identity(), loaded.spec()), only);
            Applier applier = new Applier(planner, host, applied, clock);
            Applier.Outcome outcome = applier.apply(plan, saved.map(SavedPlan::fingerprints), loaded.snapshot().commit(), stop);
            state.saveApplied(applied);
            RunInfo run = record("apply", start, loaded, outcome.resources(), outcome.errors());
            return new ApplyResult(run, outcome.applied());
        }
    }

    /** A saved plan that no longer matches its inputs. */
    public static final class StalePlanException extends Exception {
        public StalePlanException(String message) {
            super(message, null, false, false);
        }
    }

    private RunInfo record(String command, Instant start, Loaded loaded, List<ResourcePlan> resources, List<String> errors)
            throws IOException {
        Instant end = clock.instant();
        String id = RUN_ID.format(start) + "-" + command + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        RunInfo run = new RunInfo(id, command, start.toString(), end.toEpochMilli() - start.toEpochMilli(),
                loaded.sourceInfo(), host.facts(), loaded.spec().profileNames(), loaded.profilesDigest(), resources, errors);
        new RunRecords(state.resolve("runs")).write(run);
        return run;
    }

    /** True when the run left something pending or failed. */
    public static boolean failed(RunInfo run) {
        return !run.errors().isEmpty() || run.resources().stream().anyMatch(r -> r.status() == Status.ERROR);
    }
}
