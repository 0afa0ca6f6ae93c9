package io.devbox.agent.engine;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a kind package provides so that the agent can use it without the engine naming it: its two names, the JSON
 * Schema fragment of its {@code spec} section (a classpath resource the build assembles into the profile schema),
 * and a factory of reconcilers (one per run; the reconciler also parses the section, see
 * {@link Reconciler#desired}). Registered by one line in {@code io.devbox.agent.kinds.Kinds}.
 *
 * <p>Two kinds may read one section (the go kind's toolchains and the go.tools kind's programs share {@code spec.go}
 * and its default toolchain): one of them owns the section and its schema fragment, the other is made with
 * {@link #sharing} and has none. Each kind still has its own resources, ids and reconciler.
 *
 * @param kind           the kind's name in resource ids, {@code --only} and JSON, e.g. {@code unit}
 * @param specKey        its section under {@code spec}, e.g. {@code systemd}
 * @param schemaResource the classpath resource of the section's schema, e.g. {@code /io/devbox/agent/kinds/systemd/schema.json};
 *                       null for a kind that reads a section another kind's fragment describes
 * @param reconcilers    a fresh reconciler for one run, given what the agent shares with kinds
 */
public record KindDescriptor(String kind, String specKey, String schemaResource,
                             Function<KindServices, Reconciler<?, ?>> reconcilers) {
    public KindDescriptor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(specKey, "specKey");
        Objects.requireNonNull(reconcilers, "reconcilers");
    }

    /** A kind that reads the section {@code specKey} whose schema another registered kind provides. */
    public static KindDescriptor sharing(String kind, String specKey, Function<KindServices, Reconciler<?, ?>> reconcilers) {
        return new KindDescriptor(kind, specKey, null, reconcilers);
    }

    /** The schema fragment of the section, when this kind is the one that describes it. */
    public Optional<String> schema() {
        return Optional.ofNullable(schemaResource);
    }

    public Reconciler<?, ?> newReconciler(KindServices services) {
        return reconcilers.apply(services);
    }
}
