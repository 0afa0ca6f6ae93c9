package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.engine.KindDescriptor;

/** The sysctl kind: the kernel parameters of {@code spec.sysctl}. */
public final class SysctlKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("sysctl", "sysctl",
            "/io/devbox/agent/kinds/sysctl/schema.json",
            services -> new SysctlReconciler());

    private SysctlKind() {
    }
}
