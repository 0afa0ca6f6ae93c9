package io.devbox.agent.engine;

import io.devbox.agent.profile.ProfileSchema;
import io.devbox.agent.profile.SchemaSection;

import java.util.List;
import java.util.function.Supplier;

/**
 * The kinds of a run, in the order their sections are planned. Which kinds exist is not the engine's business: the
 * standard set is listed in {@code io.devbox.agent.kinds.Kinds}.
 */
public final class KindRegistry {
    private final List<Supplier<Reconciler<?, ?>>> factories;
    private final ProfileSchema schema;

    /** @param schema the profile schema of exactly these kinds (what their profiles are validated against) */
    public KindRegistry(List<Supplier<Reconciler<?, ?>>> factories, ProfileSchema schema) {
        this.factories = List.copyOf(factories);
        this.schema = schema;
    }

    /** The kinds {@code descriptors} name, each run's reconcilers made with {@code services}; in the given order. */
    public static KindRegistry of(List<KindDescriptor> descriptors, KindServices services) {
        return of(descriptors, services, schemaOf(descriptors));
    }

    /** As {@link #of(List, KindServices)}, with the schema already assembled from the same descriptors. */
    public static KindRegistry of(List<KindDescriptor> descriptors, KindServices services, ProfileSchema schema) {
        return new KindRegistry(descriptors.stream().<Supplier<Reconciler<?, ?>>>map(d -> () -> d.newReconciler(services)).toList(),
                schema);
    }

    /**
     * The profile schema of these kinds: the envelope and each section owner's fragment, in the descriptors' order. A
     * kind {@link KindDescriptor#sharing sharing} a section needs that section's owner among {@code descriptors}.
     */
    public static ProfileSchema schemaOf(List<KindDescriptor> descriptors) {
        java.util.Set<String> described = new java.util.HashSet<>();
        descriptors.forEach(d -> d.schema().ifPresent(s -> described.add(d.specKey())));
        for (KindDescriptor d : descriptors) {
            if (!described.contains(d.specKey())) {
                throw new IllegalArgumentException("kind " + d.kind() + " reads spec." + d.specKey() + ", which no registered kind describes");
            }
        }
        return ProfileSchema.of(descriptors.stream().filter(d -> d.schema().isPresent())
                .map(d -> new SchemaSection(d.specKey(), d.schemaResource())).toList());
    }

    /** What profiles for these kinds are validated against. */
    public ProfileSchema schema() {
        return schema;
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
     * {@code cgroups}), case as given; empty when it names no kind. A spec key two kinds share names the first
     * registered (see {@link #kindsOf} for all of them).
     */
    public java.util.Optional<Names> find(String name) {
        return names().stream().filter(n -> n.kind().equals(name) || n.specKey().equals(name)).findFirst();
    }

    /**
     * The kind names {@code names} mean (a kind or its spec key: {@code systemd} is {@code unit}; a spec key two kinds
     * share means both), sorted; empty for every kind. Throws IllegalArgumentException for a name of no kind (the
     * command line refuses those first).
     */
    public List<String> kindsOf(java.util.Collection<String> names) {
        List<String> out = new java.util.ArrayList<>();
        List<Names> all = names();
        for (String name : names) {
            List<Names> meant = all.stream().filter(n -> n.kind().equals(name) || n.specKey().equals(name)).toList();
            if (meant.isEmpty()) throw new IllegalArgumentException("unknown kind '" + name + "'");
            for (Names n : meant) if (!out.contains(n.kind())) out.add(n.kind());
        }
        out.sort(null);
        return out;
    }

    /** What every kind knows of the box for {@code agent status}, in registration order. */
    public List<StatusFact> statusFacts(io.devbox.agent.host.Host host) {
        return newRun().stream().flatMap(r -> r.statusFacts(host).stream()).toList();
    }

    /** Fresh reconcilers for one run. */
    public List<Reconciler<?, ?>> newRun() {
        return factories.stream().<Reconciler<?, ?>>map(Supplier::get).toList();
    }
}
