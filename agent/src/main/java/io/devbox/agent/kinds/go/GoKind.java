package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.TarGzExtractor;

/** The go kind: Go toolchains of {@code spec.go}; a downloader per run (its HTTP client and TLS context go with the run, not into a watch daemon's heap). */
public final class GoKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("go", "go",
            "/io/devbox/agent/kinds/go/schema.json",
            services -> new GoReconciler(Downloader.standard(services.downloads()), TarGzExtractor.standard()));

    private GoKind() {
    }
}
