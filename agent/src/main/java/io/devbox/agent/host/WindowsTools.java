package io.devbox.agent.host;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Windows-side programs (and WSL's own helpers) are: the names on {@code PATH} first (WSL appends the
 * Windows PATH by default), then their usual locations. Built from an environment map so tests can put stand-ins
 * first on PATH.
 */
public record WindowsTools(Path netsh, Path reg, Path cmd, Path wslinfo, Path wslpath) {

    public static WindowsTools lookup(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        return new WindowsTools(
                find(path, "netsh.exe", "/mnt/c/Windows/System32/netsh.exe"),
                find(path, "reg.exe", "/mnt/c/Windows/System32/reg.exe"),
                find(path, "cmd.exe", "/mnt/c/Windows/System32/cmd.exe"),
                find(path, "wslinfo", "/usr/bin/wslinfo", "/bin/wslinfo"),
                find(path, "wslpath", "/usr/bin/wslpath", "/bin/wslpath"));
    }

    public Optional<Path> wslinfoIfPresent() {
        return Optional.ofNullable(wslinfo);
    }

    /** What a kind reports (as the resource's error) when {@code name} is missing. */
    public static String notFound(String name) {
        return name + " not found on PATH or in its usual place: the Windows side is not reachable"
                + " from this distro (is [interop] enabled in /etc/wsl.conf?)";
    }

    private static Path find(String pathVar, String name, String... fallbacks) {
        return Programs.find(pathVar, name, fallbacks).orElse(null);
    }
}
