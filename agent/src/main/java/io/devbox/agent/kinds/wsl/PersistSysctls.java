package io.devbox.agent.kinds.wsl;

import io.devbox.agent.host.Host;
import io.devbox.agent.host.IniDocument;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Whether /etc/wsl.conf (under the root) makes WSL run {@code sysctl --system} at boot, so that /etc/sysctl.d
 * persists without systemd (microsoft/WSL#4232). The sysctl kind asks this to clear its boot-persistence warning.
 */
public final class PersistSysctls {
    static final String COMMAND = "sysctl --system";
    private static final Pattern RUNS_SYSCTL_SYSTEM = Pattern.compile("(^|[;&|(\\s])(/usr/sbin/|/sbin/)?sysctl\\s+--system\\b");

    private PersistSysctls() {
    }

    public static boolean configured(Host host) {
        try {
            byte[] content = host.fs().read(host.path("/etc/wsl.conf"), 1L << 20, "a WSL settings file").orElse(new byte[0]);
            return IniDocument.parse(content).get("boot", "command").map(PersistSysctls::runsSysctlSystem).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean runsSysctlSystem(String command) {
        return command != null && RUNS_SYSCTL_SYSTEM.matcher(command).find();
    }

    /**
     * The boot command that runs {@code sysctl --system} and still everything {@code existing} ran. The existing
     * command goes after it (the boot command runs through {@code sh -c}; {@code ;} is not a comment in wsl.conf),
     * so a long-running or failing user command cannot keep the sysctls from being applied.
     */
    static String withSysctlSystem(String existing) {
        if (runsSysctlSystem(existing)) return existing;
        if (existing == null || existing.isBlank()) return COMMAND;
        return COMMAND + "; " + existing.strip();
    }
}
