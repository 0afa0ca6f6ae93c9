package io.devbox.agent.testing;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;

import java.util.List;

/** Test support: drives one reconciler the way the engine does (probe, diff, apply each change in order). */
public final class ReconcilerDriver {
    private ReconcilerDriver() {
    }

    public static <D extends DesiredResource, O> List<Change> plan(Reconciler<D, O> r, D desired, Host host)
            throws ResourceException {
        return r.diff(desired, r.probe(desired, host));
    }

    /** Applies the planned changes and returns them; call {@code r.finish(host)} at the end of the "run". */
    public static <D extends DesiredResource, O> List<Change> apply(Reconciler<D, O> r, D desired, Host host)
            throws ResourceException {
        List<Change> changes = plan(r, desired, host);
        for (Change c : changes) r.apply(desired, c, host);
        return changes;
    }
}
