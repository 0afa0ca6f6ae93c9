package io.devbox.agent.kinds.wsl;

import io.devbox.agent.engine.KindDescriptor;

/** The wsl kind: WSL settings of {@code spec.wsl}. */
public final class WslKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("wsl", "wsl",
            "/io/devbox/agent/kinds/wsl/schema.json",
            services -> new WslReconciler());

    private WslKind() {
    }
}
