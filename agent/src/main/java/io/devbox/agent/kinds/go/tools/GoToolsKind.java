package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.kinds.go.GoKind;

/**
 * The gotool kind: the Go programs of {@code spec.go.tools}. It shares the go kind's section (whose schema fragment
 * describes {@code tools} and {@code toolsDir}) and its default toolchain, and is registered after it, so its
 * programs are planned and built after the toolchains.
 */
public final class GoToolsKind {
    public static final KindDescriptor DESCRIPTOR = KindDescriptor.sharing("gotool", GoKind.DESCRIPTOR.specKey(),
            services -> new GoToolsReconciler());

    private GoToolsKind() {
    }
}
