package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.KindDescriptor;

/** The hook kind: git hooks of {@code spec.hooks}. */
public final class HooksKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("hook", "hooks",
            "/io/devbox/agent/kinds/hooks/schema.json",
            services -> new HooksReconciler());

    private HooksKind() {
    }
}
