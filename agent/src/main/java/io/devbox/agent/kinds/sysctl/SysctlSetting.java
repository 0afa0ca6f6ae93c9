package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

/**
 * One desired kernel parameter. {@code value} is normalized. The {@link Presence.Absent absent} form (no value) is a key
 * the agent no longer manages: its line leaves the managed file, the running value is left as it is.
 */
public record SysctlSetting(SysctlKey key, String value, Origin origin, Presence presence) implements DesiredResource {
    public SysctlSetting {
        if (presence.isPresent() != (value != null)) throw new IllegalArgumentException("a present sysctl has a value, an absent one none");
    }

    /** The key as a profile declares it. */
    public SysctlSetting(SysctlKey key, String value, Origin origin) {
        this(key, value, origin, Presence.PRESENT);
    }

    /** The key the agent no longer manages. */
    public static SysctlSetting absent(SysctlKey key, Presence.Absent absent) {
        return new SysctlSetting(key, null, null, absent);
    }

    @Override
    public String id() {
        return "sysctl[" + key.name() + "]";
    }

    public boolean managed() {
        return presence.isPresent();
    }
}
