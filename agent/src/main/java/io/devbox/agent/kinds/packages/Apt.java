package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.Programs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands the packages kind runs: {@code dpkg-query} and {@code apt-cache} to read, {@code apt-get} to change.
 * apt-get runs non-interactively (conffiles the admin changed are kept: {@code --force-confold}), without
 * recommends, waiting at most {@code lockTimeout} for another apt or dpkg, in the C locale so that its words can be
 * read and quoted.
 *
 * <p>On a {@code --root} sandbox the sandbox is a Debian root of its own, as {@code dpkg --root} and apt's {@code Dir}
 * option see one: dpkg's database is {@code ROOT/var/lib/dpkg}, apt's configuration, lists and cache are under
 * {@code ROOT/etc/apt}, {@code ROOT/var/lib/apt}, {@code ROOT/var/cache/apt}, and packages unpack under ROOT (their
 * maintainer scripts run chrooted there). The box's own package database is never touched from a sandbox.
 */
final class Apt {
    static final Map<String, String> ENV = Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C",
            "APT_LISTCHANGES_FRONTEND", "none", "NEEDRESTART_MODE", "a");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    /** apt builds its cache in memory instead of writing pkgcache.bin: a probe or a simulation changes nothing. */
    private static final List<String> NO_CACHE_FILES = List.of("-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=");
    /** dpkg's database of the box (of the sandbox under {@code --root}). */
    static final String ADMIN_DIR = "/var/lib/dpkg";

    private final Host host;
    private final Duration lockTimeout;

    Apt(Host host, Duration lockTimeout) {
        this.host = host;
        this.lockTimeout = lockTimeout;
    }

    /** Whether this box manages packages with dpkg: {@code dpkg-query} is on the agent's PATH. */
    static boolean available() {
        return Programs.find(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "dpkg-query").isPresent();
    }

    /** Whether the box (or sandbox) has a dpkg database: a status file. */
    static boolean hasDatabase(Host host) {
        return Files.isRegularFile(host.path(ADMIN_DIR + "/status"));
    }

    /** dpkg-query's options: the sandbox's database under {@code --root}, none on the box itself. */
    private List<String> dpkgOptions() {
        if (!host.sandboxed()) return List.of();
        return List.of("--admindir=" + host.path(ADMIN_DIR));
    }

    /**
     * apt's options for the sandbox under {@code --root} (none on the box itself): every apt directory and dpkg under
     * the sandbox; apt's download user is root, who made the sandbox (apt's _apt user may not be able to read it).
     */
    private List<String> aptOptions() {
        if (!host.sandboxed()) return List.of();
        return List.of("-o", "Dir=" + host.root(), "-o", "Dir::State::status=" + host.path(ADMIN_DIR + "/status"),
                "-o", "DPkg::Options::=--root=" + host.root(), "-o", "APT::Sandbox::User=root");
    }

    /** dpkg's state of these packages (one command for all of them). */
    DpkgStatus query(List<String> names) throws ResourceException {
        if (names.isEmpty()) return DpkgStatus.parse("");
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f=" + DpkgStatus.FORMAT));
        argv.addAll(dpkgOptions());
        argv.add("--");
        argv.addAll(names);
        CommandResult r = run(argv, QUERY_TIMEOUT);
        // 1: some name is unknown to dpkg (never installed), which is an answer too
        if (r.exitCode() != 0 && r.exitCode() != 1) throw new ResourceException("cannot ask dpkg: " + r.describe());
        return DpkgStatus.parse(r.stdout());
    }

    /** What apt's lists offer for these packages (one command for all of them). */
    AptPolicy policy(List<String> names) throws ResourceException {
        if (names.isEmpty()) return AptPolicy.parse("");
        List<String> argv = new ArrayList<>(List.of("apt-cache", "policy"));
        argv.addAll(aptOptions());
        argv.addAll(NO_CACHE_FILES);
        argv.add("--");
        argv.addAll(names);
        CommandResult r = run(argv, QUERY_TIMEOUT);
        if (!r.ok()) throw new ResourceException("cannot ask apt-cache: " + AptOutput.errors(r));
        return AptPolicy.parse(r.stdout());
    }

    /** {@code apt-get install} of {@code targets} ({@code NAME} or {@code NAME=VERSION}); {@code simulate}: {@code -s}. */
    CommandResult install(List<String> targets, boolean allowDowngrades, boolean simulate) throws ResourceException {
        List<String> argv = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends",
                "-o", "Dpkg::Options::=--force-confold", "-o", "DPkg::Lock::Timeout=" + lockTimeout.toSeconds()));
        argv.addAll(aptOptions());
        if (allowDowngrades) argv.add("--allow-downgrades");
        if (simulate) {
            argv.add("-s");
            argv.addAll(NO_CACHE_FILES);
        }
        argv.add("--");
        argv.addAll(targets);
        return run(argv, CHANGE_TIMEOUT);
    }

    /** {@code apt-get remove} (never purge, never autoremove). */
    CommandResult remove(List<String> names, boolean simulate) throws ResourceException {
        List<String> argv = new ArrayList<>(List.of("apt-get", "remove", "-y", "-q",
                "-o", "DPkg::Lock::Timeout=" + lockTimeout.toSeconds()));
        argv.addAll(aptOptions());
        if (simulate) {
            argv.add("-s");
            argv.addAll(NO_CACHE_FILES);
        }
        argv.add("--");
        argv.addAll(names);
        return run(argv, CHANGE_TIMEOUT);
    }

    /**
     * {@code apt-get update}. apt waits for the lists lock only briefly; while another apt holds it this retries
     * until {@code lockTimeout} has passed.
     */
    CommandResult update() throws ResourceException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        while (true) {
            List<String> argv = new ArrayList<>(List.of("apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=" + lockTimeout.toSeconds()));
            argv.addAll(aptOptions());
            CommandResult r = run(argv, UPDATE_TIMEOUT);
            if (r.ok() || !AptOutput.lockBusy(r) || System.nanoTime() > deadline) return r;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    /**
     * When apt's package lists were last refreshed: the newest of the lists directory, apt's own periodic stamp and the
     * agent's record of its last update; null when none exists.
     */
    Instant listsUpdatedAt(Path agentRecord) {
        Instant newest = null;
        for (Path p : List.of(host.path("/var/lib/apt/lists"), host.path("/var/lib/apt/periodic/update-success-stamp"), agentRecord)) {
            try {
                Instant t = Files.getLastModifiedTime(p).toInstant();
                if (newest == null || t.isAfter(newest)) newest = t;
            } catch (IOException e) {
                // absent: says nothing
            }
        }
        return newest;
    }

    private CommandResult run(List<String> argv, Duration timeout) throws ResourceException {
        try {
            return host.commands().run(argv, ENV, null, timeout);
        } catch (IOException e) {
            throw new ResourceException("cannot run " + argv.get(0) + ": " + IoErrors.describe(e), e);
        }
    }
}
