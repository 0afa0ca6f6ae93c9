package io.devbox.agent.run;

import io.devbox.agent.host.Commands;
import io.devbox.agent.source.CommitVerifier;
import io.devbox.agent.source.DirectorySource;
import io.devbox.agent.source.GitCredentials;
import io.devbox.agent.source.GitUrls;
import io.devbox.agent.source.RemoteGitSource;
import io.devbox.agent.source.Snapshot;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import io.devbox.agent.source.GitTreeSource;
import io.devbox.agent.source.ProfileSource;
import io.devbox.agent.source.SourceException;
import io.devbox.agent.source.UncommittedProfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Chooses the profile source from the options (DESIGN.md: --repo, --ref, --path, --worktree). */
final class Sources {
    private Sources() {
    }

    /** True when --repo is a git URL (https, ssh, git, file, or scp-like user@host:path). */
    static boolean isRemote(AgentOptions o) {
        return o.repo() != null && !o.worktree() && GitUrls.isUrl(o.repo());
    }

    static RemoteGitSource remote(AgentOptions o, GitOptions git, Path stateDir, Clock clock, Commands commands) {
        return new RemoteGitSource(o.repo(), o.ref(), o.path() == null ? "profiles" : o.path(), stateDir, verifier(git),
                git.requireFastForward(), GitCredentials.forFetch(commands), clock, git.fetchTimeout());
    }

    static CommitVerifier verifier(GitOptions git) {
        if (!git.verifyCommits()) return null;
        return new CommitVerifier(git.allowedSigners(), git.gpgKeys());
    }

    /** With --verify-commits, the signer of a local repository's pinned commit; refuses an untrusted one. */
    static String verifyLocal(AgentOptions o, GitOptions git, Snapshot snap) throws SourceException {
        CommitVerifier v = verifier(git);
        if (v == null) return null;
        if (snap.commit() == null) throw new SourceException("--verify-commits needs a git source; --worktree reads unsigned files");
        try (Repository repo = new FileRepositoryBuilder().readEnvironment().findGitDir(Path.of(snap.repo()).toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(repo)) {
            CommitVerifier.Result r = v.verify(repo, walk.parseCommit(ObjectId.fromString(snap.commit())));
            if (!r.trusted()) throw new SourceException(r.reason() + "; nothing was changed");
            return r.signer();
        } catch (IOException e) {
            throw new SourceException("cannot verify " + snap.shortCommit() + " in " + snap.repo() + ": " + e.getMessage(), e);
        }
    }

    /**
     * For a run that read the committed HEAD of a local repository: the note that the work tree holds other profile
     * files than that commit (with how to plan them), or null.
     */
    static String uncommittedNote(AgentOptions o, ProfileSource source, Snapshot snap) {
        if (isRemote(o) || o.worktree() || snap.commit() == null) return null;
        if (o.ref() != null && !o.ref().isBlank() && !o.ref().equals("HEAD")) return null;
        Optional<Path> top = source.workTree(); // the repository Sources.open found, not looked for again
        if (top.isEmpty()) return null; // a bare repository has no work tree
        try {
            String path = io.devbox.agent.source.ProfilePaths.normalize(o.path() == null ? "profiles" : o.path());
            return UncommittedProfiles.note(UncommittedProfiles.list(top.get(), path, snap.profiles()), path, snap.shortCommit());
        } catch (SourceException e) {
            return null;
        }
    }

    static ProfileSource open(AgentOptions o, Optional<String> pinnedCommit) throws SourceException {
        String ref = pinnedCommit.orElse(o.ref());
        String path = o.path() == null ? "profiles" : o.path();
        if (o.repo() == null) {
            Path top = GitTreeSource.findTop(o.workingDir())
                    .orElseThrow(() -> new SourceException("no --repo given and " + o.workingDir()
                            + " is not inside a git repository"));
            if (o.worktree()) return new DirectorySource(top, path);
            return new GitTreeSource(top, ref, path, top.toString());
        }
        if (isRemote(o)) throw new IllegalStateException("remote repositories are read through remote()");
        Path dir = o.workingDir().resolve(o.repo()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new SourceException("--repo " + o.repo() + ": no such directory");
        if (o.worktree()) return new DirectorySource(dir, path);
        Optional<Path> top = GitTreeSource.findTop(dir);
        if (top.isEmpty()) return new DirectorySource(dir, path); // a plain directory, in no repository
        if (!sameDirectory(top.get(), dir)) {
            // reading its files would silently take uncommitted edits for the committed profiles
            throw new SourceException("--repo " + o.repo() + " is inside the git repository " + top.get()
                    + "; give its top directory (and --path for where the profiles are in it), or add --worktree to read "
                    + "the files on disk");
        }
        return new GitTreeSource(dir, ref, path, dir.toString());
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.equals(b);
        }
    }
}
