package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Account;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.FileTrees;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.Printable;
import io.devbox.agent.host.Territory;
import io.devbox.agent.host.UnsafePathException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the hook kind asks git: a repository's effective hooks directory, and the developer's global config.
 * <p>
 * A repository in a tree a user controls is that user's input, and git acts on its content: its config can name
 * programs git runs (core.fsmonitor, core.sshCommand, filters), and git itself refuses another user's repository
 * (safe.directory). So git runs against such a repository <b>as its owner</b> ({@link io.devbox.agent.host.Commands#runAs}): whatever the
 * repository makes git do, the kernel treats as that user's doing. Only a repository that root alone controls is asked
 * as root.
 * <p>
 * The global config files ({@code ~/.gitconfig}, {@code ~/.config/git/config}) are read and written by root through
 * {@link BoxFs} (no link followed, capped): git only edits a copy in a directory private to root, fed to it on stdin
 * or as that private file, so a config file linked to a root-only file is refused, never read, and never replaced by a
 * copy the developer could read.
 */
final class GitConfig {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** A git config file larger than this is not one the agent edits. */
    static final long CONFIG_CAP = 1L << 20;
    /**
     * Only the repository's own configuration counts for its hooks directory (the developer's global core.hooksPath
     * is the global mode's business).
     */
    private static final Map<String, String> REPO_ONLY = Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1");
    /** git reading a config file the agent hands it: no other configuration, no repository around it. */
    private static final Map<String, String> FILE_ONLY = Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1",
            "GIT_CEILING_DIRECTORIES", "/");

    private GitConfig() {
    }

    /**
     * The hooks directories of a repository (box paths): {@code effective} is where git runs hooks from (respecting a
     * repo-level core.hooksPath, as husky sets it); {@code fallback} is {@code <git-common-dir>/hooks}, where git runs
     * them without core.hooksPath, or null when it is the effective one or not the repository owner's.
     */
    record Dirs(String effective, String fallback) {
    }

    /**
     * The repository's hooks directories. For a repository a user controls, the effective directory must lie in a tree
     * that same user controls: a core.hooksPath (or a {@code .git/hooks} link) leading anywhere else, e.g.
     * /etc/cron.daily, is refused.
     */
    static Dirs hooksDirs(Host host, String repo) throws ResourceException {
        Path real = host.path(repo);
        Territory repoTerritory = territory(host, real, repo);
        List<String> revParse = List.of("rev-parse", "--path-format=absolute", "--git-path", "hooks", "--git-common-dir");
        CommandResult r;
        if (repoTerritory instanceof Territory.UserControlled u) {
            if (!u.controller().bound()) {
                throw new ResourceException(repo + " lies in a directory no single user owns (" + u.reason() + "); the agent does not run git there");
            }
            Account owner = Account.of(u.controller());
            r = git(host, owner, concat(List.of("git", "-C", real.toString()), revParse), REPO_ONLY);
        } else {
            // root's own repository: safe.directory on the command line, as root reads it whoever git thinks owns it
            r = git(host, null, concat(List.of("git", "-c", "safe.directory=*", "-C", real.toString()), revParse), REPO_ONLY);
        }
        if (!r.ok()) throw new ResourceException("cannot find the hooks directory of " + repo + ": " + r.describe());
        List<String> lines = r.stdout().strip().lines().toList();
        if (lines.size() != 2 || lines.stream().anyMatch(l -> l.isEmpty() || !l.startsWith("/") || l.indexOf('\0') >= 0)) {
            throw new ResourceException("unexpected answer from git rev-parse --git-path hooks in " + repo + ": "
                    + Printable.escape(r.stdout().strip()));
        }
        Path effective = Path.of(lines.get(0)).normalize();
        Path fallback = Path.of(lines.get(1)).resolve("hooks").normalize();
        if (repoTerritory instanceof Territory.UserControlled u) requireSameController(host, repo, effective, u);
        if (fallback.equals(effective)) return new Dirs(box(host, effective), null);
        if (repoTerritory instanceof Territory.UserControlled u && !sameController(host, fallback, u)) {
            return new Dirs(box(host, effective), null);
        }
        return new Dirs(box(host, effective), box(host, fallback));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** A path git printed as a box path: an absolute one outside a relocated root is left as it is. */
    private static String box(Host host, Path p) {
        Path root = host.root().toAbsolutePath().normalize();
        if (root.getNameCount() == 0) return p.toString();
        // an absolute core.hooksPath is a box path; a relative one resolved inside the (relocated) repository
        if (p.startsWith(root)) return "/" + root.relativize(p);
        return p.toString();
    }

    private static boolean sameController(Host host, Path dir, Territory.UserControlled repoTerritory) {
        try {
            Territory t = territory(host, dir, dir.toString());
            return t instanceof Territory.UserControlled u && u.controller().uid() == repoTerritory.controller().uid();
        } catch (ResourceException e) {
            return false;
        }
    }

    private static void requireSameController(Host host, String repo, Path hooksDir, Territory.UserControlled repoTerritory)
            throws ResourceException {
        Territory t = territory(host, hooksDir, hooksDir.toString());
        int uid = repoTerritory.controller().uid();
        if (t instanceof Territory.UserControlled u && u.controller().uid() == uid) return;
        String shown = shown(host, hooksDir);
        String why = t instanceof Territory.UserControlled u ? u.reason() : "only root can write it";
        throw new ResourceException("the hooks directory of " + repo + " (core.hooksPath or .git/hooks) is " + shown
                + ", which is not in a tree the repository's owner (uid " + uid + ") controls (" + why + "); the agent does not write"
                + " hooks there. Point core.hooksPath into the repository or the owner's home");
    }

    private static Territory territory(Host host, Path real, String shown) throws ResourceException {
        try {
            return host.fs().territory(real);
        } catch (IOException e) {
            throw new ResourceException("cannot check who controls " + shown + ": " + e.getMessage(), e);
        }
    }


    private static String shown(Host host, Path real) {
        try {
            return host.fs().shown(real);
        } catch (IOException e) {
            return real.toString();
        }
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
    static Path globalFileToWrite(Host host) throws IOException {
        List<Path> files = globalFiles(host);
        BoxFs fs = host.fs();
        if (fs.stat(files.get(1)).isEmpty() && fs.stat(files.get(0)).isPresent()) return files.get(0);
        return files.get(1);
    }

    /** The value of {@code key} in the box's system git config (/etc/gitconfig), or null. */
    static String systemGet(Host host, String key) throws ResourceException {
        return fileGet(host, host.path("/etc/gitconfig"), key);
    }

    /** {@code key} in config file {@code f}, read through {@link BoxFs} and handed to git on stdin; null when unset. */
    private static String fileGet(Host host, Path f, String key) throws ResourceException {
        Optional<byte[]> content = read(host, f);
        if (content.isEmpty()) return null;
        CommandResult r;
        try {
            r = host.commands().run(List.of("git", "config", "--file", "-", "--get", key), FILE_ONLY, Path.of("/"), TIMEOUT, content.get());
        } catch (IOException e) {
            throw new ResourceException("cannot run git (" + e.getMessage() + "); the hook kind needs git on PATH", e);
        }
        if (r.ok()) return r.stdout().strip();
        if (r.exitCode() != 1) throw new ResourceException("cannot read " + shown(host, f) + ": " + r.describe());
        return null;
    }

    private static Optional<byte[]> read(Host host, Path f) throws ResourceException {
        try {
            return host.fs().read(f, CONFIG_CAP, "a git config file");
        } catch (UnsafePathException e) {
            throw new ResourceException("cannot read the git config: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + shown(host, f) + ": " + e.getMessage(), e);
        }
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

    /**
     * Sets ({@code value} non-null) or unsets {@code key} in the developer's global config, atomically: git edits a
     * copy in a directory only root can enter; the result replaces the file through {@link BoxFs}.
     */
    static void globalSet(Host host, String key, String value) throws ResourceException {
        Path file;
        Path work = null;
        try {
            file = globalFileToWrite(host);
        } catch (IOException e) {
            throw new ResourceException("cannot find the developer's git config: " + e.getMessage(), e);
        }
        try {
            Optional<byte[]> before = read(host, file);
            work = Files.createTempDirectory("devbox-agent-gitconfig", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path copy = work.resolve("config");
            host.fs().write(copy, before.orElse(new byte[0]), "rw-------", false);
            List<String> argv = value != null
                    ? List.of("git", "config", "--file", copy.toString(), key, value)
                    : List.of("git", "config", "--file", copy.toString(), "--unset-all", key);
            CommandResult r = git(host, null, argv, FILE_ONLY);
            if (!r.ok() && !(value == null && r.exitCode() == 5)) throw new ResourceException("cannot update " + shown(host, file) + ": " + r.describe());
            byte[] after = host.fs().read(copy, CONFIG_CAP + 4096, "the edited git config").orElse(new byte[0]);
            host.fs().write(file, after, before.isPresent() ? null : "rw-r--r--", true);
        } catch (UnsafePathException e) {
            throw new ResourceException("cannot update the git config: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot update " + shown(host, file) + ": " + e.getMessage(), e);
        } finally {
            try {
                if (work != null) FileTrees.deleteRecursively(work);
            } catch (IOException ignored) {
                // a private temp directory: nothing another user can see
            }
        }
    }

    /** Runs git as {@code as} (null: as the agent) in {@code /}, with its environment and a timeout. */
    private static CommandResult git(Host host, Account as, List<String> argv, Map<String, String> env) throws ResourceException {
        try {
            CommandResult r = as == null ? host.commands().run(argv, env, Path.of("/"), TIMEOUT)
                    : host.commands().runAs(as, argv, env, Path.of("/"), TIMEOUT);
            if (r.timedOut()) throw new ResourceException(r.describe());
            return r;
        } catch (IOException e) {
            throw new ResourceException("cannot run git (" + e.getMessage() + "); the hook kind needs git on PATH", e);
        }
    }
}
