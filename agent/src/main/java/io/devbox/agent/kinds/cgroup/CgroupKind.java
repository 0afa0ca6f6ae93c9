package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.KindDescriptor;

/** The cgroup kind: cgroup limits of {@code spec.cgroups}. */
public final class CgroupKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("cgroup", "cgroups",
            "/io/devbox/agent/kinds/cgroup/schema.json",
            services -> new CgroupReconciler());

    private CgroupKind() {
    }
}
