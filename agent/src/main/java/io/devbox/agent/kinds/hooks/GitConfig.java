package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.Ownership;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the hook kind asks git: a repository's effective hooks directory, and the developer's global config. */
final class GitConfig {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /**
     * Only the repository's own configuration counts for its hooks directory (the developer's global core.hooksPath
     * is the global mode's business); safe.directory on the command line, because the agent (root) reads
     * repositories the developer owns.
     */
    private static final Map<String, String> REPO_ONLY = Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1");

    private GitConfig() {
    }

    /** The box path of the repository's effective hooks directory (respecting a repo-level core.hooksPath). */
    static String hooksDir(Host host, String repo) throws ResourceException {
        Path real = host.path(repo);
        CommandResult r = git(host, List.of("git", "-c", "safe.directory=*", "-C", real.toString(), "rev-parse",
                "--path-format=absolute", "--git-path", "hooks"), REPO_ONLY);
        if (!r.ok()) throw new ResourceException("cannot find the hooks directory of " + repo + ": " + r.describe());
        String out = r.stdout().strip();
        if (out.isEmpty() || out.contains("\n") || !out.startsWith("/")) {
            throw new ResourceException("unexpected answer from git rev-parse --git-path hooks in " + repo + ": " + out);
        }
        Path p = Path.of(out).normalize();
        Path root = host.root().toAbsolutePath().normalize();
        if (root.getNameCount() == 0) return p.toString();
        // an absolute core.hooksPath is a box path; a relative one resolved inside the (relocated) repository
        if (p.startsWith(root)) return "/" + root.relativize(p);
        return p.toString();
    }

    /** The developer's global git config files in the order git reads them (XDG, then ~/.gitconfig). */
    static List<Path> globalFiles(Host host) {
        Path home = host.path(host.facts().home());
        List<Path> files = new ArrayList<>();
        files.add(home.resolve(".config/git/config"));
        files.add(home.resolve(".gitconfig"));
        return files;
    }

    /** The file to write: ~/.gitconfig unless only the XDG file exists. */
    static Path globalFileToWrite(Host host) {
        List<Path> files = globalFiles(host);
        if (!Files.exists(files.get(1)) && Files.exists(files.get(0))) return files.get(0);
        return files.get(1);
    }

    /** The value of {@code key} in the box's system git config (/etc/gitconfig), or null. */
    static String systemGet(Host host, String key) throws ResourceException {
        return fileGet(host, host.path("/etc/gitconfig"), key);
    }

    private static String fileGet(Host host, Path f, String key) throws ResourceException {
        if (!Files.isRegularFile(f)) return null;
        CommandResult r = git(host, List.of("git", "config", "--file", f.toString(), "--get", key), Map.of());
        if (r.ok()) return r.stdout().strip();
        if (r.exitCode() != 1) throw new ResourceException("cannot read " + f + ": " + r.describe());
        return null;
    }

    /** The value of {@code key} in the developer's global config (last one wins), or null. */
    static String globalGet(Host host, String key) throws ResourceException {
        String value = null;
        for (Path f : globalFiles(host)) {
            String v = fileGet(host, f, key);
            if (v != null) value = v;
        }
        return value;
    }

    /** Sets ({@code value} non-null) or unsets {@code key} in the developer's global config, atomically. */
    static void globalSet(Host host, String key, String value) throws ResourceException {
        Path file = globalFileToWrite(host);
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Ownership.createDirectoriesFor(dir, host.facts());
            boolean existed = Files.exists(file);
            tmp = AtomicFiles.createTemp(dir, ".gitconfig");
            if (existed) Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            // git edits a copy (it knows the format: sections, quoting, includes); the result replaces the file atomically
            List<String> argv = value != null
                    ? List.of("git", "config", "--file", tmp.toString(), key, value)
                    : List.of("git", "config", "--file", tmp.toString(), "--unset-all", key);
            CommandResult r = git(host, argv, Map.of());
            if (!r.ok() && !(value == null && r.exitCode() == 5)) throw new ResourceException("cannot update " + file + ": " + r.describe());
            AtomicFiles.write(file, Files.readAllBytes(tmp), existed ? null : "rw-r--r--");
            Ownership.giveTo(file, host.facts());
        } catch (IOException e) {
            throw new ResourceException("cannot update " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a temp name: removed as a leftover later
            }
        }
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static CommandResult git(Host host, List<String> argv, Map<String, String> env) throws ResourceException {
        try {
            CommandResult r = host.commands().run(argv, env, null, TIMEOUT);
            if (r.timedOut()) throw new ResourceException(r.describe());
            return r;
        } catch (IOException e) {
            throw new ResourceException("cannot run git (" + e.getMessage() + "); the hook kind needs git on PATH", e);
        }
    }
}
