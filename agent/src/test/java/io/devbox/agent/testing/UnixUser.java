package io.devbox.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A real unprivileged account made for one test ({@code useradd}, no home on the real system, no login shell) and
 * removed by {@link #close()} together with every process it still runs. Used to act as the developer or a CI job
 * on the same box as the root agent: {@link #run} executes a command with the account's uid, gid and groups
 * ({@code setpriv --no-new-privs}), so the kernel decides what it may touch.
 */
public final class UnixUser implements AutoCloseable {
    private final String name;
    private final int uid;
    private final int gid;

    private UnixUser(String name, int uid, int gid) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
    }

    /** Creates a fresh account (skips, or fails in CI, without root, useradd or setpriv). */
    public static UnixUser create() throws IOException, InterruptedException {
        SystemTests.requireRoot();
        SystemTests.requireCommand("useradd");
        SystemTests.requireCommand("setpriv");
        String name = "dvbx" + ProcessHandle.current().pid() % 100000 + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        SystemTests.sh(List.of("useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                "--user-group", name));
        int uid = Integer.parseInt(SystemTests.sh(List.of("id", "-u", name)).trim());
        int gid = Integer.parseInt(SystemTests.sh(List.of("id", "-g", name)).trim());
        return new UnixUser(name, uid, gid);
    }

    public String name() {
        return name;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    /**
     * Makes {@code <root>/home/<name>} owned by this user (mode 0755) and lists the account with that home in the
     * sandbox's {@code etc/passwd}, so that an agent run with {@code --root root --user <name>} sees it as the
     * developer. {@code root} and {@code root/home} become 0755 (a JUnit temp dir is 0700), so the user can reach its
     * home as on a real box. Returns the home directory (a real path under {@code root}).
     */
    public Path sandboxHome(Path root) throws IOException, InterruptedException {
        Path home = root.resolve("home").resolve(name);
        Files.createDirectories(home);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> open = java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        Files.setPosixFilePermissions(root, open);
        Files.setPosixFilePermissions(root.resolve("home"), open);
        Files.setPosixFilePermissions(home, open);
        chown(home);
        Path passwd = root.resolve("etc/passwd");
        Files.createDirectories(passwd.getParent());
        String line = name + ":x:" + uid + ":" + gid + "::/home/" + name + ":/bin/sh\n";
        Files.writeString(passwd, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return home;
    }

    /** Gives {@code path} (not following a link) to this user and its group. */
    public void chown(Path path) throws IOException, InterruptedException {
        SystemTests.sh(List.of("chown", "-h", uid + ":" + gid, path.toString()));
    }

    /** The argument list that runs {@code argv} as this user. */
    public List<String> as(List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups",
                "--no-new-privs", "--"));
        cmd.addAll(argv);
        return cmd;
    }

    /** Runs {@code argv} as this user, with HOME set to {@code home} (may be null), and waits at most {@code timeout}. */
    public SystemTests.Result run(List<String> argv, Path home, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, String> env = home == null ? Map.of("USER", name) : Map.of("USER", name, "HOME", home.toString());
        return SystemTests.run(as(argv), env, workDir, timeout);
    }

    /**
     * Kills what the account still runs and deletes it (its group too), and the performance-data directory a JVM run
     * as the account left in the temp directory ({@code hsperfdata_<name>}: the JVM removes its own file, not that).
     */
    @Override
    public void close() throws IOException, InterruptedException {
        SystemTests.run(List.of("pkill", "-KILL", "-u", Integer.toString(uid)), Map.of(), null, Duration.ofSeconds(10));
        SystemTests.Result r = SystemTests.run(List.of("userdel", name), Map.of(), null, Duration.ofSeconds(30));
        if (r.exitCode() != 0 && r.exitCode() != 6) {
            throw new AssertionError("userdel " + name + " exited " + r.exitCode() + ": " + r.all());
        }
        Path perfData = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + name);
        if (Files.isDirectory(perfData, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.list(perfData)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(perfData);
        }
    }
}
