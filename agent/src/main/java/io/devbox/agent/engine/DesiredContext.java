package io.devbox.agent.engine;

import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;

/**
 * What a kind may consult while turning its composed spec section into resources.
 *
 * @param host the box, for kinds whose resources depend on what exists there (the hooks kind expands repository
 *             globs under the root); null when there is no box to look at (e.g. {@code agent validate} of a
 *             repository alone). Kinds must not change the box here.
 */
public record DesiredContext(HostIdentity identity, ComposedSpec spec, Host host) {
    public DesiredContext(HostIdentity identity, ComposedSpec spec) {
        this(identity, spec, null);
    }
}
