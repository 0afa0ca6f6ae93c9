package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.engine.KindDescriptor;
import io.devbox.agent.host.Host;

import java.util.function.Predicate;

/** The sysctl kind: the kernel parameters of {@code spec.sysctl}. */
public final class SysctlKind {
    static final String KIND = "sysctl";
    static final String SPEC_KEY = "sysctl";

    private SysctlKind() {
    }

    /**
     * The kind's descriptor. Whether something other than systemd applies /etc/sysctl.d at boot (WSL's [boot]
     * command) is the wsl kind's knowledge, so {@code kinds/Kinds} hands it in: kind packages never import each other.
     *
     * @param bootAppliesSysctlD whether the box runs {@code sysctl --system} at boot without systemd
     */
    public static KindDescriptor descriptor(Predicate<Host> bootAppliesSysctlD) {
        return new KindDescriptor(KIND, SPEC_KEY, "/io/devbox/agent/kinds/sysctl/schema.json",
                services -> new SysctlReconciler(bootAppliesSysctlD));
    }
}
