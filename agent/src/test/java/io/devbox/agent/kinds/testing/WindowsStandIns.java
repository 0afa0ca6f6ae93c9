package io.devbox.agent.kinds.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for netsh.exe, reg.exe, cmd.exe, wslinfo and wslpath (test resources under standins/windows) in
 * {@code dir/bin}, with their shared state in {@code dir/state}.
 */
public final class WindowsStandIns {
    public static final List<String> TOOLS = List.of("netsh.exe", "reg.exe", "cmd.exe", "wslinfo", "wslpath");
    private final Path dir;

    private WindowsStandIns(Path dir) {
        this.dir = dir;
    }

    public static WindowsStandIns install(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("state"));
        for (String tool : TOOLS) {
            try (InputStream in = WindowsStandIns.class.getResourceAsStream("/standins/windows/" + tool)) {
                if (in == null) throw new IOException("missing stand-in resource " + tool);
                Path target = dir.resolve("bin").resolve(tool);
                Files.write(target, in.readAllBytes());
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return new WindowsStandIns(dir);
    }

    public Path bin() {
        return dir.resolve("bin");
    }

    public Path state(String name) {
        return dir.resolve("state").resolve(name);
    }

    public String read(String name) throws IOException {
        return Files.exists(state(name)) ? Files.readString(state(name)) : "";
    }

    public void write(String name, String content) throws IOException {
        Files.writeString(state(name), content);
    }

    /** A WSL environment: the stand-ins first on PATH, WSL_DISTRO_NAME set. */
    public Map<String, String> wslEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin() + ":/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("WSL_DISTRO_NAME", "Debian");
        env.put("WSL_INTEROP", "/run/WSL/1_interop");
        return env;
    }

    /** The same tools on PATH, but no sign of WSL. */
    public Map<String, String> plainLinuxEnv() {
        return Map.of("PATH", bin() + ":/usr/sbin:/usr/bin:/sbin:/bin");
    }
}
