package io.devbox.agent.testing;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Test support: drives one reconciler the way the engine does (probe, diff, the whole-resource apply of its changes). */
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
        r.apply(desired, changes, host, new java.util.ArrayList<>());
        return changes;
    }

    /** The changes a plan of all these resources would show. */
    public static <D extends DesiredResource, O> List<Change> plan(Reconciler<D, O> r, List<D> resources, Host host)
            throws ResourceException {
        List<Change> all = new ArrayList<>();
        for (D d : resources) all.addAll(plan(r, d, host));
        return all;
    }

    /**
     * What an apply run does: each resource probed, diffed and its changes applied, then verified by a fresh probe
     * (asserted empty); a failing resource does not stop the others. Ends the run with {@code r.finish(host)}.
     * Returns the errors by resource id (empty when everything converged).
     */
    public static <D extends DesiredResource, O> Map<String, String> converge(Reconciler<D, O> r, List<D> resources, Host host)
            throws ResourceException {
        Map<String, String> errors = new LinkedHashMap<>();
        for (D d : resources) {
            try {
                apply(r, d, host);
                assertThat(plan(r, d, host)).as("re-plan of " + d.id()).isEmpty();
            } catch (ResourceException e) {
                errors.put(d.id(), e.getMessage());
            }
        }
        r.finish(host);
        return errors;
    }
}
