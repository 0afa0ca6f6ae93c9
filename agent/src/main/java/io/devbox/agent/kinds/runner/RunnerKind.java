package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.kinds.systemd.UnitReconciler;

import java.nio.file.Path;

/** The runner kind: the GitHub Actions runner of {@code spec.runner}; it manages its service through the systemd kind's reconciler. */
public final class RunnerKind {
    public static final KindDescriptor DESCRIPTOR = new KindDescriptor("runner", "runner",
            "/io/devbox/agent/kinds/runner/schema.json",
            services -> new RunnerReconciler(Downloader.standard(services.downloads()), TarGzExtractor.standard(),
                    System.getenv(), Path.of("/proc"), new UnitReconciler()));

    private RunnerKind() {
    }
}
