package io.devbox.agent.source;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * JGit's configuration files, kept in the agent's state directory ({@code <state>/git-config/}): its user config
 * ({@code gitconfig}), system config ({@code gitconfig-system}) and its own ({@code jgit-config}, where JGit records
 * what it measured of a file system, on first use). By default JGit reads {@code ~/.gitconfig} and
 * {@code /etc/gitconfig} and writes {@code ~/.config/jgit/config}: a write outside the state directory during a
 * read-only plan, and a stack trace on stderr where the home is not writable. JGit's {@link SystemReader} is one per
 * process (a JGit design); it is installed once, before the first repository is opened, together with the agent's
 * way of ending JGit ({@link JGitShutdown}).
 */
public final class StateDirGitConfig extends SystemReader.Delegate {
    static final String DIR = "git-config";
    private final Path dir;

    private StateDirGitConfig(SystemReader base, Path dir) {
        super(base);
        this.dir = dir;
    }

    /**
     * Makes JGit read and write its configuration under {@code stateDir}; later calls (another session of the same
     * process, e.g. a watch cycle) keep the first state directory.
     */
    public static synchronized void install(Path stateDir) {
        if (SystemReader.getInstance() instanceof StateDirGitConfig) return;
        JGitShutdown.withoutShutdownHook();
        Path dir = stateDir.toAbsolutePath().normalize().resolve(DIR);
        try {
            // the state directory is private (run records name repositories); JGit would create it with the umask's mode
            if (!Files.isDirectory(stateDir)) {
                Files.createDirectories(stateDir);
                Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
            }
            Files.createDirectories(dir);
        } catch (IOException | UnsupportedOperationException e) {
            // a state directory that cannot be written is reported by the command that needs it; JGit then keeps its
            // measurements in memory (its write fails quietly below)
        }
        SystemReader.setInstance(new StateDirGitConfig(SystemReader.getInstance(), dir));
        readFileSystemAttributesEarly(dir);
    }

    /**
     * Has JGit take in the state directory's file system now, on a thread of its own. JGit does that once per file
     * system (its timestamp resolution and racy-git threshold, read from {@link UserConfig}) on a pool thread of its
     * own and waits for it when it first snapshots a file there, e.g. a repository's config; done here, it overlaps
     * the rest of the command's start (its lock, its state) instead: the repositories a run reads are on this file
     * system as a rule (a remote source's cache clone always). Nothing is reported from here: JGit falls back to its
     * defaults on any failure, and meets it again when it needs the attributes.
     */
    private static void readFileSystemAttributesEarly(Path dir) {
        Thread t = new Thread(() -> FS.FileStoreAttributes.get(dir), "jgit-file-system");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, error) -> { });
        t.start();
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
        return new UserConfig(parent, dir.resolve("gitconfig"), fs);
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        return new QuietConfig(parent, dir.resolve("gitconfig-system"), fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
        return new QuietConfig(parent, dir.resolve("jgit-config"), fs);
    }

    @Override
    public Path getXdgConfigDirectory(FS fs) {
        return dir;
    }

    @Override
    public Path getXdgCacheDirectory(FS fs) {
        return dir.resolve("cache");
    }

    /**
     * The user config, which JGit also asks for a file system's timestamp resolution and racy-git threshold
     * ({@code filesystem.<store>.timestampResolution}, {@code minRacyThreshold}). Where they are not set, it answers
     * with JGit's own fallbacks (2 s, 10 ms) instead of letting JGit measure them: a measurement writes probe files
     * into the repository's {@code .git/objects}, makes the first run of a state directory wait for seconds, and would
     * only be kept for the next run of that state directory. With the fallbacks JGit re-reads a file it cannot trust
     * to be unchanged (one written in the last 2 seconds), which is all a measured value would spare.
     */
    private static final class UserConfig extends QuietConfig {
        static final String FILESYSTEM = "filesystem";
        static final long FALLBACK_MIN_RACY_NANOS = 10_000_000L;

        UserConfig(Config parent, Path file, FS fs) {
            super(parent, file, fs);
        }

        @Override
        public long getTimeUnit(String section, String subsection, String name, long defaultValue, TimeUnit wantUnit) {
            long value = super.getTimeUnit(section, subsection, name, defaultValue, wantUnit);
            if (value != defaultValue || !FILESYSTEM.equals(section)) return value;
            if ("timestampResolution".equals(name)) {
                return wantUnit.convert(FS.FileStoreAttributes.FALLBACK_TIMESTAMP_RESOLUTION.toNanos(), TimeUnit.NANOSECONDS);
            }
            if ("minRacyThreshold".equals(name)) return wantUnit.convert(FALLBACK_MIN_RACY_NANOS, TimeUnit.NANOSECONDS);
            return value;
        }
    }

    /**
     * A config file whose saving never fails loudly. JGit saves only what it measured of a file system here (the agent
     * never sets git config through JGit), and logs a failed save with a stack trace: losing that cache costs the next
     * run a measurement, nothing more.
     */
    private static class QuietConfig extends FileBasedConfig {
        QuietConfig(Config parent, Path file, FS fs) {
            super(parent, file.toFile(), fs);
        }

        @Override
        public void save() {
            try {
                super.save();
            } catch (IOException e) {
                // see above
            }
        }
    }
}
