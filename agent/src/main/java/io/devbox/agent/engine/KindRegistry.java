package io.devbox.agent.engine;

import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.TarGzExtractor;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The kinds this build knows, in the order their sections are planned. One line per kind. */
public final class KindRegistry {
    private final List<Supplier<Reconciler<?, ?>>> factories;

    public KindRegistry(List<Supplier<Reconciler<?, ?>>> factories) {
        this.factories = List.copyOf(factories);
    }

    public static KindRegistry standard() {
        return standard(Downloader.Limits.DEFAULT);
    }

    /** The standard kinds; those that download (go, runner) keep to {@code downloads}. */
    public static KindRegistry standard(Downloader.Limits downloads) {
        List<Supplier<Reconciler<?, ?>>> kinds = new java.util.ArrayList<>();
        // one line per kind:
        kinds.add(io.devbox.agent.kinds.sysctl.SysctlReconciler::new);
        kinds.add(io.devbox.agent.kinds.cgroup.CgroupReconciler::new);
        kinds.add(io.devbox.agent.kinds.systemd.UnitReconciler::new);
        kinds.add(io.devbox.agent.kinds.ports.PortsReconciler::new);
        kinds.add(io.devbox.agent.kinds.wsl.WslReconciler::new);
        // a downloader per run (its HTTP client and TLS context go with the run, not into a watch daemon's heap)
        kinds.add(() -> new io.devbox.agent.kinds.go.GoReconciler(Downloader.standard(downloads), TarGzExtractor.standard()));
        kinds.add(io.devbox.agent.kinds.hooks.HooksReconciler::new);
        kinds.add(() -> new io.devbox.agent.kinds.runner.RunnerReconciler(Downloader.standard(downloads),
                TarGzExtractor.standard(), System.getenv(), Path.of("/proc"), new io.devbox.agent.kinds.systemd.UnitReconciler()));
        return new KindRegistry(kinds);
    }

    /** A kind's two names: the kind ({@code unit}: resource ids, --only, JSON) and its section under spec ({@code systemd}). */
    public record Names(String kind, String specKey) {
    }

    /** The names of every kind, in registration order. */
    public List<Names> names() {
        return newRun().stream().map(r -> new Names(r.kind(), r.specKey())).toList();
    }

    /**
     * The kind a name means: a kind's own name or its spec key ({@code unit} or {@code systemd}, {@code cgroup} or
     * {@code cgroups}), case as given; empty when it names no kind.
     */
    public java.util.Optional<Names> find(String name) {
        return names().stream().filter(n -> n.kind().equals(name) || n.specKey().equals(name)).findFirst();
    }

    /**
     * The kind names {@code names} mean (a kind or its spec key: {@code systemd} is {@code unit}), sorted; empty for
     * every kind. Throws IllegalArgumentException for a name of no kind (the command line refuses those first).
     */
    public List<String> kindsOf(java.util.Collection<String> names) {
        List<String> out = new java.util.ArrayList<>();
        for (String name : names) {
            Names n = find(name).orElseThrow(() -> new IllegalArgumentException("unknown kind '" + name + "'"));
            if (!out.contains(n.kind())) out.add(n.kind());
        }
        out.sort(null);
        return out;
    }

    /** Fresh reconcilers for one run. */
    public List<Reconciler<?, ?>> newRun() {
        return factories.stream().<Reconciler<?, ?>>map(Supplier::get).toList();
    }
}
