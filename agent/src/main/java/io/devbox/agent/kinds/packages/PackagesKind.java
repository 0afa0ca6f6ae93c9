package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.KindDescriptor;

/** The packages kind: the Debian packages of {@code spec.packages}, resources {@code package[NAME]}. */
public final class PackagesKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("package", "packages",
            "/io/devbox/agent/kinds/packages/schema.json",
            services -> new PackagesReconciler());

    private PackagesKind() {
    }
}
