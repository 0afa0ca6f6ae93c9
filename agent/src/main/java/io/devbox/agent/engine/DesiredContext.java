package io.devbox.agent.engine;

import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;

/** What a kind may consult while turning its composed spec section into resources. */
public record DesiredContext(HostIdentity identity, ComposedSpec spec) {
}
