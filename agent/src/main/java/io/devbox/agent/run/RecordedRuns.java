package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.InternalFault;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.RunLock;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.source.Snapshot;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The runs a session records (plan, apply, prune), each in the same frame: the state lock, then its steps; a run
 * whose profiles are refused is recorded as such and any other failure is counted as an aborted run, before the
 * exception goes on.
 */
final class RecordedRuns {
    private final Session session;
    private final AgentOptions options;
    private final Clock clock;
    private final RunRecorder recorder;
    private final Consumer<InternalFault> faults;

    RecordedRuns(Session session, AgentOptions options, Clock clock, RunRecorder recorder, Consumer<InternalFault> faults) {
        this.session = session;
        this.options = options;
        this.clock = clock;
        this.recorder = recorder;
        this.faults = faults;
    }

    /** Plans (read-only on the box) and records the run. */
    RunInfo plan(String command, List<String> kindsOnly) throws Exception {
        return recorded(command, kindsOnly, start -> {
            Session.Loaded loaded = session.load(Optional.empty());
            AppliedState applied = session.state().loadApplied();
            List<Overrides.Entry> active = session.overrides().active(clock.instant());
            Plan plan = session.planners().forRun(applied, active, session.selectorPrunes(loaded, applied))
                    .plan(session.context(loaded), Set.copyOf(kindsOnly));
            plan.internalFaults().forEach(faults);
            return recorder.finished(command, start, loaded, plan.resources(), List.of(), false, active.size(), kindsOnly);
        });
    }

    /** Reads the profiles (at a saved plan's commit), refuses a saved plan whose profiles changed, applies. */
    Session.ApplyResult apply(String command, List<String> kindsOnly, Optional<SavedPlan> saved, BooleanSupplier stop,
                              boolean allowSelectorPrunes) throws Exception {
        return recorded(command, kindsOnly, start -> {
            Session.Loaded loaded = session.load(saved.map(SavedPlan::commit));
            if (saved.isPresent() && saved.get().profilesDigest() != null
                    && !saved.get().profilesDigest().equals(loaded.profilesDigest())) {
                throw new Session.StalePlanException("the profiles changed since the plan was made (plan again)");
            }
            return new ApplyRun(session, clock, recorder, faults).run(command, start, loaded, kindsOnly, saved, stop,
                    allowSelectorPrunes);
        });
    }

    /** Plans or applies the removal of everything applied, as if the profiles were empty (see {@link Session#prune}). */
    Session.ApplyResult prune(boolean apply, BooleanSupplier stop) throws Exception {
        String command = "prune";
        return recorded(command, List.of(), start -> {
            Session.Loaded nothing = new Session.Loaded(new Snapshot(options.repo() == null ? "(no profiles)" : options.repo(),
                    options.ref(), null, List.of(), RepoFiles.NONE), new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE),
                    Digests.profiles(List.of()));
            if (!apply) {
                Plan plan = session.planners().forRun(session.state().loadApplied(), List.of(), id -> Optional.empty())
                        .plan(session.context(nothing), Set.of());
                plan.internalFaults().forEach(faults);
                RunInfo run = recorder.finished(command, start, nothing, plan.resources(), List.of(), false, 0, List.of());
                return new Session.ApplyResult(run, 0);
            }
            return new ApplyRun(session, clock, recorder, faults).run(command, start, nothing, List.of(), Optional.empty(), stop, true);
        });
    }

    /** The steps of a run, given its start time. */
    private interface Steps<T> {
        T run(Instant start) throws Exception;
    }

    private <T> T recorded(String command, List<String> kindsOnly, Steps<T> steps) throws Exception {
        Instant start = clock.instant();
        try (RunLock ignored = session.lock(command)) {
            try {
                return steps.run(start);
            } catch (ProfileException e) {
                recorder.rejected(command, start, session.pinned(), e, kindsOnly);
                throw e;
            } catch (Exception e) {
                recorder.aborted(command, start, e);
                throw e;
            }
        }
    }
}
