package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.KindDescriptor;

/** The port kind: port-forwarding rules of {@code spec.ports}. */
public final class PortsKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("port", "ports",
            "/io/devbox/agent/kinds/ports/schema.json",
            services -> new PortsReconciler());

    private PortsKind() {
    }
}
