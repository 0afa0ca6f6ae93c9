package io.devbox.agent.bench;

import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The inputs of the benchmarks, shaped like bench/peers.sh's sandbox: N sysctls {@code bench.groupG.keyI} spread over
 * 40 directories, each wanted at I+1 while the box has I (so every resource has a change).
 */
public final class Fixtures {
    public static final int GROUPS = 40;

    private Fixtures() {
    }

    public static String key(int i) {
        return "bench.group" + (i % GROUPS) + ".key" + i;
    }

    /** A profile setting keys {@code from..to-1} to {@code i+1+bump}, at a priority. */
    public static ProfileFile profile(String name, int priority, int from, int to, int bump) {
        StringBuilder sb = new StringBuilder(64 + 40 * (to - from));
        sb.append("apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: ").append(name).append("}\npriority: ")
                .append(priority).append("\nspec:\n  sysctl:\n");
        for (int i = from; i < to; i++) sb.append("    ").append(key(i)).append(": ").append(i + 1 + bump).append('\n');
        return new ProfileFile("profiles/" + name + ".yaml", sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One profile with {@code n} keys: what the sandbox plans use. */
    public static List<ProfileFile> single(int n) {
        return List.of(profile("bench", 0, 0, n, 0));
    }

    /** Three layers: every key at priority 0, half of them again at 10, a tenth at 20 (a base/team/host fleet). */
    public static List<ProfileFile> layered(int n) {
        return List.of(profile("base", 0, 0, n, 0), profile("team", 10, 0, n / 2, 1), profile("host", 20, 0, n / 10, 2));
    }

    public static HostIdentity identity() {
        return new HostIdentity("bench", Map.of(), "dev", "/home/dev");
    }

    /** A --root sandbox: a fake /proc/sys with the box's values and an empty /etc/sysctl.d. */
    public static Path sandbox(int n) {
        try {
            Path root = Files.createTempDirectory("devbox-jmh");
            Files.createDirectories(root.resolve("etc/sysctl.d"));
            for (int g = 0; g < GROUPS; g++) Files.createDirectories(root.resolve("proc/sys/bench/group" + g));
            for (int i = 0; i < n; i++) {
                Files.writeString(root.resolve("proc/sys/bench/group" + (i % GROUPS) + "/key" + i), i + "\n");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Host host(Path root) {
        Facts facts = new Facts("bench", "boot", false, false, "dev", "/home/dev", false);
        return new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), root.resolve("var/lib/devbox-agent"),
                facts, new Commands());
    }

    public static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
