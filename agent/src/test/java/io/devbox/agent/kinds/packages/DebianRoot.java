package io.devbox.agent.kinds.packages;

import io.devbox.agent.testing.SystemTests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code --root} sandbox that is a Debian root of its own for the packages kind: an empty dpkg database, apt's
 * directories, and one source, a {@link LocalAptRepo}. The real dpkg and apt work in it ({@code dpkg --root},
 * apt's {@code Dir} option); nothing of the machine's own package database is read or written.
 */
public final class DebianRoot {
    private DebianRoot() {
    }

    public static void make(Path root, LocalAptRepo repo) throws IOException {
        for (String dir : List.of("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/lib/apt/lists/partial",
                "var/cache/apt/archives/partial", "var/log/apt", "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("var/lib/dpkg/available"), "");
        Files.writeString(root.resolve("etc/apt/sources.list"), "deb [trusted=yes] file:" + repo.dir() + " ./\n");
    }

    /** {@code apt-get update} in the sandbox, as an admin would have run it before (the lists are then fresh). */
    public static void update(Path root) throws IOException, InterruptedException {
        SystemTests.sh(List.of("apt-get", "update", "-q", "-o", "Dir=" + root, "-o", "Dir::State::status=" + root.resolve("var/lib/dpkg/status"),
                "-o", "APT::Sandbox::User=root"));
    }

    /** Installs a package of the repository into the sandbox with dpkg itself, as a developer would have before the agent. */
    public static void dpkgInstall(Path root, LocalAptRepo repo, String name, String version) throws IOException, InterruptedException {
        SystemTests.sh(List.of("dpkg", "--root=" + root, "-i", repo.dir().resolve(name + "_" + version.replace(':', '%') + "_all.deb").toString()));
    }
}
