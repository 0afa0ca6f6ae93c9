package io.devbox.agent.kinds.contract;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.StatusFact;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A kind whose every apply is followed by the fake kernel acting on what it wrote (see {@link FakeCgroupV2Kernel}). */
final class Settling<D extends DesiredResource, O> implements Reconciler<D, O> {
    private final Reconciler<D, O> kind;
    private final FakeCgroupV2Kernel kernel;

    Settling(Reconciler<D, O> kind, FakeCgroupV2Kernel kernel) {
        this.kind = kind;
        this.kernel = kernel;
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
        try {
            kernel.snapshot();
            if (change.field().equals("cgroup") && change.to() == null) {
                kernel.beforeRmdir(change.resourceId().substring("cgroup[".length(), change.resourceId().length() - 1));
            }
            kind.apply(desired, change, host);
            kernel.settle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
