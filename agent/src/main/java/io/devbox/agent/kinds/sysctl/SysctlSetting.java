package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

/**
 * One desired kernel parameter. {@code value} is normalized; null means the agent no longer manages the key
 * (its line leaves the managed file; the running value is left as it is).
 */
public record SysctlSetting(SysctlKey key, String value, Origin origin) implements DesiredResource {
    @Override
    public String id() {
        return "sysctl[" + key.name() + "]";
    }

    public boolean managed() {
        return value != null;
    }
}
