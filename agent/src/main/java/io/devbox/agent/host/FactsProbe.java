package io.devbox.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Gathers {@link Facts} once per run, from the box under a root and the process environment. */
public final class FactsProbe {
    private final Path root;
    private final Map<String, String> env;

    public FactsProbe(Path root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    public Facts gather(String hostnameOverride, String userOverride) {
        String hostname = hostnameOverride != null ? hostnameOverride : hostname();
        String bootId = firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse("unknown");
        boolean wsl = env.containsKey("WSL_DISTRO_NAME") || env.containsKey("WSL_INTEROP")
                || Files.exists(under("/proc/sys/fs/binfmt_misc/WSLInterop"));
        boolean systemd = Files.isDirectory(under("/run/systemd/system"));
        Passwd.Entry user = developerUser(userOverride);
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        return new Facts(hostname, bootId, wsl, systemd, user.name(), user.home(), isRoot);
    }

    /**
     * The developer: {@code --user}, else {@code SUDO_USER}, else the first user with uid ≥ 1000 in
     * {@code <root>/etc/passwd}, else the invoking user.
     */
    Passwd.Entry developerUser(String userOverride) {
        List<Passwd.Entry> users = Passwd.read(under("/etc/passwd"));
        String wanted = userOverride != null ? userOverride : env.get("SUDO_USER");
        if (wanted != null && !wanted.isBlank()) {
            return first(users, u -> u.name().equals(wanted)).orElse(new Passwd.Entry(wanted, -1, "/home/" + wanted));
        }
        Optional<Passwd.Entry> first = first(users, u -> u.uid() >= 1000 && u.uid() < 60000);
        if (first.isPresent()) return first.get();
        String self = System.getProperty("user.name");
        return first(users, u -> u.name().equals(self)).orElse(new Passwd.Entry(self, -1, System.getProperty("user.home")));
    }

    /**
     * The first user that matches. A loop, not {@code Stream.findFirst}: the first findFirst of a process generates the
     * JDK's find-operation lambdas at run time (made in a class initialiser, the class-data archive cannot hold them),
     * ~1 ms of every command that probes the box.
     */
    private static Optional<Passwd.Entry> first(List<Passwd.Entry> users, Predicate<Passwd.Entry> matches) {
        for (Passwd.Entry u : users) if (matches.test(u)) return Optional.of(u);
        return Optional.empty();
    }

    private String hostname() {
        return firstLine(under("/etc/hostname"))
                .or(() -> firstLine(Path.of("/proc/sys/kernel/hostname")))
                .orElse("localhost");
    }

    private Path under(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private static Optional<String> firstLine(Path p) {
        try {
            String s = KernelFiles.read(p).strip();
            int nl = s.indexOf('\n');
            s = nl >= 0 ? s.substring(0, nl).strip() : s;
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
