package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A fact of the box that several kinds and enrolment ask: is this box a WSL distro, and in which networking mode. Reads an injected environment map (never
 * {@code System.getenv()} directly) so that tests decide what the agent sees.
 */
public record WslEnvironment(Map<String, String> env) {

    public WslEnvironment {
        env = Map.copyOf(env);
    }

    public static WslEnvironment current() {
        return new WslEnvironment(System.getenv());
    }

    public WindowsTools tools() {
        return WindowsTools.lookup(env);
    }

    /** WSL when the launcher's variables are set, interop is registered under the root, or the host facts say so. */
    public boolean isWsl(Host host) {
        if (!env.getOrDefault("WSL_DISTRO_NAME", "").isEmpty() || !env.getOrDefault("WSL_INTEROP", "").isEmpty()) return true;
        if (Files.exists(host.path("/proc/sys/fs/binfmt_misc/WSLInterop"))
                || Files.exists(host.path("/proc/sys/fs/binfmt_misc/WSLInterop-late"))) return true;
        return host.facts() != null && host.facts().wsl();
    }

    public static final String NOT_WSL = "not WSL (no WSL_DISTRO_NAME or WSL_INTEROP, no /proc/sys/fs/binfmt_misc/WSLInterop):"
            + " there is no Windows side to configure";

    /**
     * {@code nat}, {@code mirrored}, {@code virtioproxy} or {@code none}, from {@code wslinfo --networking-mode}.
     * Without wslinfo (WSL before 2.0, which only had NAT) the mode is {@code nat}.
     */
    public String networkingMode(Host host) throws IOException {
        Optional<java.nio.file.Path> wslinfo = tools().wslinfoIfPresent();
        if (wslinfo.isEmpty()) return "nat";
        CommandResult r;
        try {
            r = host.commands().run(List.of(wslinfo.get().toString(), "--networking-mode"), Map.of(), null, Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new IOException("cannot run wslinfo: " + e.getMessage(), e);
        }
        String mode = r.stdout().strip().toLowerCase(Locale.ROOT);
        int nl = mode.indexOf('\n');
        if (nl >= 0) mode = mode.substring(0, nl).strip();
        if (!r.ok() || !List.of("nat", "mirrored", "virtioproxy", "none").contains(mode)) {
            throw new IOException("cannot tell the WSL networking mode: " + r.describe());
        }
        return mode;
    }
}
