package io.devbox.agent.kinds.systemd;

import io.devbox.agent.testing.SystemTests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real systemd booted in systemd-nspawn (TESTING.md R3a) from a debootstrap rootfs cached between runs. The
 * container runs in cgroups of its own under the systemd and unified hierarchies, on a volatile overlay (the cached
 * rootfs is never written), without network. {@link #close()} stops it by PID and removes everything it made.
 */
public final class NspawnContainer implements AutoCloseable {
    static final Path CACHE = Path.of("/var/cache/devbox-agent-test/rootfs-bookworm");

    /** A debootstrap rootfs: where it is cached and the packages it has beyond minbase. */
    public record Rootfs(Path cache, String include) {
    }

    /** systemd only (≈ 240 MB). */
    public static final Rootfs SYSTEMD = new Rootfs(CACHE, "systemd,systemd-sysv,dbus");
    /** systemd, Debian's Java 17 runtime and nftables (the package's Depends and Recommends: the container has no network
     * to fetch them): for installing the agent's package with apt. */
    public static final Rootfs SYSTEMD_JRE17 = new Rootfs(CACHE.resolveSibling("rootfs-bookworm-jre17"),
            "systemd,systemd-sysv,dbus,openjdk-17-jre-headless,nftables");
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final Path NSPAWN_RUN = Path.of("/run/systemd/nspawn");

    private final String name;
    private final Process nspawn;
    private final long leader;
    private final boolean nspawnRunExisted;
    private final Path log;

    private NspawnContainer(String name, Process nspawn, long leader, boolean nspawnRunExisted, Path log) {
        this.name = name;
        this.nspawn = nspawn;
        this.leader = leader;
        this.nspawnRunExisted = nspawnRunExisted;
        this.log = log;
    }

    public static void requirePrerequisites() {
        requirePrerequisites(SYSTEMD);
    }

    public static void requirePrerequisites(Rootfs rootfs) {
        SystemTests.requireRoot();
        SystemTests.requireCommand("systemd-nspawn");
        SystemTests.requireCommand("nsenter");
        SystemTests.require(Files.isDirectory(CGROUP.resolve("systemd")) && Files.isDirectory(CGROUP.resolve("unified")),
                "needs the cgroup v1 name=systemd and the unified hierarchies under /sys/fs/cgroup");
        if (!Files.isDirectory(rootfs.cache())) SystemTests.requireCommand("debootstrap");
    }

    /** The cached rootfs, built once with debootstrap from the mirror the machine's apt sources use. */
    static Path rootfs(Rootfs rootfs) throws IOException, InterruptedException {
        Path cache = rootfs.cache();
        if (Files.isDirectory(cache.resolve("usr/lib/systemd"))) return cache;
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Files.createDirectories(cache.getParent());
        try {
            SystemTests.Result r = SystemTests.run(List.of("debootstrap", "--variant=minbase", "--include=" + rootfs.include(),
                    "bookworm", partial.toString(), mirror()), Map.of(), null, Duration.ofMinutes(20));
            if (r.exitCode() != 0) throw new AssertionError("debootstrap failed: " + r.all());
            Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(partial)) SystemTests.run(List.of("rm", "-rf", "--one-file-system", partial.toString()), Map.of(), null, Duration.ofMinutes(5));
        }
        return cache;
    }

    /** The Debian mirror of the machine's apt sources (deb822 or one-line form). */
    static String mirror() throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.exists(Path.of("/etc/apt/sources.list"))) files.add(Path.of("/etc/apt/sources.list"));
        Path d = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(d)) try (Stream<Path> s = Files.list(d)) {
            s.sorted().forEach(files::add);
        }
        Pattern oneLine = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+bookworm\\s");
        Pattern deb822 = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
        for (Path f : files) {
            String text = Files.readString(f);
            for (Matcher m = oneLine.matcher(text); m.find(); ) if (!m.group(1).contains("security")) return m.group(1);
            for (Matcher m = deb822.matcher(text); m.find(); ) if (!m.group(1).contains("security")) return m.group(1);
        }
        return "http://deb.debian.org/debian";
    }

    /** Boots the container with extra {@code --bind-ro=} arguments, and waits until systemd says it is running. */
    public static NspawnContainer boot(List<String> bindsReadOnly, Path logDir) throws Exception {
        return boot(SYSTEMD, bindsReadOnly, logDir);
    }

    public static NspawnContainer boot(Rootfs image, List<String> bindsReadOnly, Path logDir) throws Exception {
        Path rootfs = rootfs(image);
        String name = "devbox-t-" + UUID.randomUUID().toString().substring(0, 8);
        boolean existed = Files.exists(NSPAWN_RUN);
        Path sd = Files.createDirectory(CGROUP.resolve("systemd").resolve(name));
        Path uni = Files.createDirectory(CGROUP.resolve("unified").resolve(name));
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > \"$1\"/cgroup.procs && echo $$ > \"$2\"/cgroup.procs && shift 2 && exec systemd-nspawn \"$@\"",
                "sh", sd.toString(), uni.toString(),
                "--register=no", "--keep-unit", "--private-network", "--volatile=overlay", "-q", "-b",
                "-D", rootfs.toString(), "-M", name));
        for (String b : bindsReadOnly) argv.add("--bind-ro=" + b);
        Path log = logDir.resolve(name + ".log");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        NspawnContainer c = null;
        try {
            // the leader is the child of systemd-nspawn that runs the container's init; nspawn forks short-lived
            // helpers too, so wait for the one that has exec'd systemd
            long leader = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (leader < 0 && System.nanoTime() < deadline && p.isAlive()) {
                leader = p.toHandle().children().filter(NspawnContainer::runsInit).mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
                if (leader < 0) Thread.sleep(50);
            }
            c = new NspawnContainer(name, p, leader, existed, log);
            if (leader < 0) throw new AssertionError("systemd-nspawn did not start a container: " + Files.readString(log));
            String state = "";
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                SystemTests.Result r = c.exec(List.of("systemctl", "is-system-running"));
                state = r.stdout().strip();
                if (state.equals("running") || state.equals("degraded")) break;
                if (state.isEmpty()) state = r.stderr().strip();
                Thread.sleep(100);
            }
            if (!state.equals("running") && !state.equals("degraded")) {
                throw new AssertionError("the container's systemd is " + state + ": " + Files.readString(log));
            }
            return c;
        } catch (Exception | AssertionError e) {
            if (c != null) c.close();
            else new NspawnContainer(name, p, -1, existed, log).close();
            throw e;
        }
    }

    private static boolean runsInit(ProcessHandle h) {
        String cmd = h.info().command().orElse("");
        return (cmd.endsWith("/systemd") || cmd.endsWith("/init")) && !cmd.contains("nspawn");
    }

    /** The container's init, as the host sees it: {@code nsenter -t LEADER -n} runs a host program in its network. */
    public long leader() {
        return leader;
    }

    /** The container's root file system as the host sees it (its volatile overlay). */
    public Path root() {
        return Path.of("/proc", Long.toString(leader), "root");
    }

    /** Runs a program inside the container (all its namespaces, its root and working directory). */
    public SystemTests.Result exec(List<String> argv) throws IOException, InterruptedException {
        return exec(argv, Duration.ofMinutes(2));
    }

    public SystemTests.Result exec(List<String> argv, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a", "-r", "-w"));
        cmd.addAll(argv);
        return SystemTests.run(cmd, Map.of("SYSTEMD_PAGER", "cat", "SYSTEMD_COLORS", "0"), null, timeout);
    }

    /** {@code systemctl show -p P --value UNIT} inside the container. */
    public String show(String unit, String property) throws IOException, InterruptedException {
        return exec(List.of("systemctl", "show", "-p", property, "--value", "--", unit)).stdout().strip();
    }

    @Override
    public void close() throws Exception {
        if (nspawn.isAlive()) {
            new ProcessBuilder("kill", "-TERM", Long.toString(nspawn.pid())).start().waitFor();
            if (!nspawn.waitFor(15, TimeUnit.SECONDS)) {
                nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
                nspawn.destroyForcibly();
                nspawn.waitFor(10, TimeUnit.SECONDS);
            }
        }
        List<String> left = new ArrayList<>();
        for (String h : List.of("systemd", "unified")) {
            Path top = CGROUP.resolve(h).resolve(name);
            if (!Files.isDirectory(top)) continue;
            for (int attempt = 0; attempt < 50 && Files.isDirectory(top); attempt++) {
                List<Path> dirs;
                try (Stream<Path> s = Files.walk(top)) {
                    dirs = s.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
                }
                for (Path d : dirs) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException e) {
                        // still busy: processes are exiting; retry
                    }
                }
                if (Files.isDirectory(top)) Thread.sleep(100);
            }
            if (Files.isDirectory(top)) left.add(top.toString());
        }
        if (!nspawnRunExisted && Files.exists(NSPAWN_RUN)) {
            try (Stream<Path> s = Files.walk(NSPAWN_RUN)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
            }
        }
        Files.deleteIfExists(log);
        if (!left.isEmpty()) throw new AssertionError("could not remove the container's cgroups: " + left);
    }
}
