package io.devbox.agent.testing;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.StatusFact;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real kind with every call passed on to it: a test overrides the one it changes (a bug, a fake kernel's step). */
public abstract class ForwardingReconciler<D extends DesiredResource, O> implements Reconciler<D, O> {
    protected final Reconciler<D, O> kind;

    protected ForwardingReconciler(Reconciler<D, O> kind) {
        this.kind = kind;
    }

    @Override
    public String kind() {
        return kind.kind();
    }

    @Override
    public String specKey() {
        return kind.specKey();
    }

    @Override
    public List<D> desired(Node section, DesiredContext context) throws ProfileException {
        return kind.desired(section, context);
    }

    @Override
    public boolean exists(D desired, O observed, List<Change> changes) {
        return kind.exists(desired, observed, changes);
    }

    @Override
    public O probe(D desired, Host host) throws ResourceException {
        return kind.probe(desired, host);
    }

    @Override
    public List<Change> diff(D desired, O observed) {
        return kind.diff(desired, observed);
    }

    @Override
    public void apply(D desired, Change change, Host host) throws ResourceException {
        kind.apply(desired, change, host);
    }

    @Override
    public Optional<String> unsupported(Host host) {
        return kind.unsupported(host);
    }

    @Override
    public Optional<D> removal(String resourceId, Map<String, String> lastApplied) {
        return kind.removal(resourceId, lastApplied);
    }

    @Override
    public List<String> warnings(D desired, Host host) {
        return kind.warnings(desired, host);
    }

    @Override
    public List<StatusFact> statusFacts(Host host) {
        return kind.statusFacts(host);
    }

    @Override
    public void finish(Host host) throws ResourceException {
        kind.finish(host);
    }
}
