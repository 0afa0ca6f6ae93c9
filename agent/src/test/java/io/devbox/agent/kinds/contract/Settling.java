package io.devbox.agent.kinds.contract;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.testing.ForwardingReconciler;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A kind whose every apply is followed by the fake kernel acting on what it wrote (see {@link FakeCgroupV2Kernel}). */
final class Settling<D extends DesiredResource, O> extends ForwardingReconciler<D, O> {
    private final FakeCgroupV2Kernel kernel;

    Settling(Reconciler<D, O> kind, FakeCgroupV2Kernel kernel) {
        super(kind);
        this.kernel = kernel;
    }

    @Override
    public void apply(D desired, Change change, Host host) throws ResourceException {
        try {
            kernel.snapshot();
            java.util.Map<java.nio.file.Path, java.util.Map<java.nio.file.Path, byte[]>> setAside = java.util.Map.of();
            if (change.field().equals("cgroup") && change.to() == null) {
                String path = change.resourceId().substring("cgroup[".length(), change.resourceId().length() - 1);
                kernel.beforeRmdir(path);
                setAside = kernel.setAsideEmptyingAncestors(path);
            }
            kind.apply(desired, change, host);
            kernel.restoreKept(setAside);
            kernel.settle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
