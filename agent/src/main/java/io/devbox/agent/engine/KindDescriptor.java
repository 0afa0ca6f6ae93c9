package io.devbox.agent.engine;

import java.util.Objects;
import java.util.function.Function;

/**
 * What a kind package provides so that the agent can use it without the engine naming it: its two names, the JSON
 * Schema fragment of its {@code spec} section (a classpath resource the build assembles into the profile schema),
 * and a factory of reconcilers (one per run; the reconciler also parses the section, see
 * {@link Reconciler#desired}). Registered by one line in {@code io.devbox.agent.kinds.Kinds}.
 *
 * @param kind           the kind's name in resource ids, {@code --only} and JSON, e.g. {@code unit}
 * @param specKey        its section under {@code spec}, e.g. {@code systemd}
 * @param schemaResource the classpath resource of the section's schema, e.g. {@code /io/devbox/agent/kinds/systemd/schema.json}
 * @param reconcilers    a fresh reconciler for one run, given what the agent shares with kinds
 */
public record KindDescriptor(String kind, String specKey, String schemaResource,
                             Function<KindServices, Reconciler<?, ?>> reconcilers) {
    public KindDescriptor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(specKey, "specKey");
        Objects.requireNonNull(schemaResource, "schemaResource");
        Objects.requireNonNull(reconcilers, "reconcilers");
    }

    public Reconciler<?, ?> newReconciler(KindServices services) {
        return reconcilers.apply(services);
    }
}
