package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.KindDescriptor;

/** The unit kind: systemd units of {@code spec.systemd}. */
public final class UnitKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("unit", "systemd",
            "/io/devbox/agent/kinds/systemd/schema.json",
            services -> new UnitReconciler());

    private UnitKind() {
    }
}
