package io.devbox.agent.run;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.Applier;
import io.devbox.agent.engine.InternalFault;
import io.devbox.agent.engine.Outcome;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.engine.Prune;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.RunLock;
import io.devbox.agent.engine.Status;
import io.devbox.agent.report.RunError;
import io.devbox.agent.report.RunInfo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The steps of an apply once the profiles are read and the state lock is held: the kinds' own checks, the box lock,
 * plan, apply; then the outcome goes to its listeners: what was applied ({@code applied.json}), the box's identity,
 * the run record and metrics.
 */
final class ApplyRun {
    private final Session session;
    private final Clock clock;
    private final RunRecorder recorder;
    private final Consumer<InternalFault> faults;

    ApplyRun(Session session, Clock clock, RunRecorder recorder, Consumer<InternalFault> faults) {
        this.session = session;
        this.clock = clock;
        this.recorder = recorder;
        this.faults = faults;
    }

    Session.ApplyResult run(String command, Instant start, Session.Loaded loaded, List<String> only, Optional<SavedPlan> saved,
                            BooleanSupplier stop, boolean allowSelectorPrunes) throws Exception {
        // the kinds' own checks of the profiles first: a profile they refuse leaves no trace on the box (not even the box lock)
        session.planners().checker().check(session.context(loaded));
        try (RunLock box = session.lockBox(command)) {
            AppliedState applied = session.state().loadApplied();
            List<Overrides.Entry> active = session.overrides().active(clock.instant());
            SelectorPrunes selectorPrunes = session.selectorPrunes(loaded, applied);
            Planner planner = session.planners().forRun(applied, active, selectorPrunes);
            Plan plan = planner.plan(session.context(loaded), Set.copyOf(only));
            Outcome outcome = new Applier(planner, session.host(), clock).apply(plan, saved.map(SavedPlan::fingerprints),
                    loaded.snapshot().commit(), stop, allowSelectorPrunes);
            outcome.internalFaults().forEach(faults);
            applied.remember(outcome);
            session.state().saveApplied(applied);
            List<RunError> errors = new ArrayList<>(outcome.errors().stream().map(RunError::of).toList());
            List<ResourcePlan> refused = outcome.resources().stream()
                    .filter(r -> r.prune() == Prune.SELECTOR && r.status() == Status.SKIPPED).toList();
            if (!refused.isEmpty()) {
                errors.add(RunError.of(selectorPrunes.refusal(refused)));
            } else if (only.isEmpty()) {
                // what the box is now, for telling a changed identity's prunes from the profiles' own next time; only
                // after a run that covered every kind (else the kinds left out would lose their guard)
                AppliedIdentity.of(session.identity()).write(session.state().path(), clock.instant());
            }
            RunInfo run = recorder.finished(command, start, loaded, outcome.resources(), errors, true, active.size(), only);
            return new Session.ApplyResult(run, outcome.applied());
        }
    }
}
