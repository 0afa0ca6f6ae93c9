package io.devbox.agent.run;

import io.devbox.agent.source.DirectorySource;
import io.devbox.agent.source.GitTreeSource;
import io.devbox.agent.source.ProfileSource;
import io.devbox.agent.source.SourceException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Chooses the profile source from the options (DESIGN.md: --repo, --ref, --path, --worktree). */
final class Sources {
    private Sources() {
    }

    static ProfileSource open(AgentOptions o, Optional<String> pinnedCommit) throws SourceException {
        String ref = pinnedCommit.orElse(o.ref());
        String path = o.path() == null ? "profiles" : o.path();
        if (o.repo() == null) {
            Path git = GitTreeSource.findRepository(o.workingDir())
                    .orElseThrow(() -> new SourceException("no --repo given and " + o.workingDir()
                            + " is not inside a git repository"));
            Path top = git.getFileName().toString().equals(".git") ? git.getParent() : git;
            if (o.worktree()) return new DirectorySource(top, path);
            return new GitTreeSource(top, ref, path, top.toString());
        }
        if (o.repo().contains("://") || o.repo().matches("^[\\w.-]+@[\\w.-]+:.*")) {
            throw new SourceException("remote repository " + o.repo() + ": fetching remote URLs is not supported yet;"
                    + " clone it and pass the local path");
        }
        Path dir = o.workingDir().resolve(o.repo()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new SourceException("--repo " + o.repo() + ": no such directory");
        if (o.worktree()) return new DirectorySource(dir, path);
        if (GitTreeSource.findRepository(dir).filter(g -> g.getParent().equals(dir) || g.equals(dir)).isEmpty()) {
            return new DirectorySource(dir, path);
        }
        return new GitTreeSource(dir, ref, path, dir.toString());
    }
}
