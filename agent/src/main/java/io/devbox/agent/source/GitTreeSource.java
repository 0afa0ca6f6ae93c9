package io.devbox.agent.source;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.ProfileFile;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Profiles from the committed tree of a local git repository at {@code ref} (default: HEAD), read through JGit
 * object by object: the working tree is never read or touched, so a half-edited checkout cannot leak in.
 */
public final class GitTreeSource implements ProfileSource {
    private final Path repoDir;
    private final String ref;
    private final String path;
    private final String description;

    public GitTreeSource(Path repoDir, String ref, String path, String description) {
        this.repoDir = repoDir;
        this.ref = ref;
        this.path = path;
        this.description = description;
    }

    /**
     * The top of the repository containing {@code dir}: its work tree (also for a linked worktree or a submodule,
     * whose {@code .git} is a file), or the git directory of a bare repository; empty when {@code dir} is in none.
     */
    public static Optional<Path> findTop(Path dir) throws SourceException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
        if (b.getGitDir() == null) return Optional.empty();
        try {
            b.setup();
        } catch (IOException | IllegalArgumentException e) {
            throw new SourceException("cannot open the git repository of " + dir + ": " + IoErrors.describe(e), e);
        }
        File top = b.getWorkTree() != null ? b.getWorkTree() : b.getGitDir();
        return Optional.of(top.toPath().toAbsolutePath().normalize());
    }

    /** The repository's top directory when it is a work tree (it holds a {@code .git}); a bare repository has none. */
    @Override
    public Optional<Path> workTree() {
        return new File(repoDir.toFile(), ".git").exists() ? Optional.of(repoDir) : Optional.empty();
    }

    @Override
    public Snapshot snapshot() throws SourceException {
        String rel = ProfilePaths.normalize(path);
        Repository repo = open();
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(resolve(repo));
            RevTree tree = commit.getTree();
            List<ProfileFile> files = new ArrayList<>();
            try (ObjectReader reader = repo.newObjectReader(); TreeWalk tw = new TreeWalk(reader)) {
                tw.addTree(tree);
                tw.setRecursive(true);
                if (!rel.isEmpty()) tw.setFilter(PathFilter.create(rel));
                while (tw.next()) {
                    if (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE) continue;
                    if (!ProfilePaths.isProfile(tw.getNameString())) continue;
                    files.add(profile(reader, tw.getObjectId(0), tw.getPathString()));
                }
            }
            if (files.isEmpty() && !rel.isEmpty() && TreeWalk.forPath(repo, rel, tree) == null) {
                throw new SourceException("no " + rel + "/ in " + description + " at " + commit.abbreviate(7).name()
                        + " (is the profiles directory committed? --worktree reads uncommitted files)");
            }
            String commitId = commit.name();
            return new Snapshot(description, ref, commitId, files, p -> readBlob(repo, tree, p));
        } catch (IOException e) {
            throw new SourceException("cannot read " + description + ": " + IoErrors.describe(e), e);
        }
    }

    /** A profile blob, or only its size when it is over the limit (the loader refuses it with a located error). */
    private static ProfileFile profile(ObjectReader reader, ObjectId blob, String path) throws IOException {
        try {
            return new ProfileFile(path, TreeBlobs.read(reader, blob, path, ProfileFile.MAX_BYTES));
        } catch (TreeBlobs.TooLarge e) {
            return ProfileFile.unread(path, e.size());
        }
    }

    private Repository open() throws SourceException {
        try {
            FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
            File dir = repoDir.toFile();
            if (workTree().isPresent()) b.setWorkTree(dir);
            else b.setGitDir(dir);
            return b.setup().build();
        } catch (RepositoryNotFoundException e) {
            throw new SourceException("not a git repository: " + repoDir + " (use --worktree to read a plain directory)");
        } catch (IOException | IllegalArgumentException e) {
            throw new SourceException("cannot open git repository " + repoDir + ": " + IoErrors.describe(e), e);
        }
    }

    private ObjectId resolve(Repository repo) throws IOException, SourceException {
        String spec = ref == null || ref.isBlank() ? Constants.HEAD : ref;
        if (spec.equals(Constants.HEAD)) {
            // the usual case, without JGit's revision parser (and its own walk, which read the commit a second time):
            // HEAD's commit; the caller's parseCommit peels and checks the type as ^{commit} would
            Ref head = repo.exactRef(Constants.HEAD);
            if (head == null || head.getObjectId() == null) {
                throw new SourceException(description + " has no commits yet (HEAD does not resolve)");
            }
            return head.getObjectId();
        }
        for (String candidate : List.of(spec, Constants.R_HEADS + spec, Constants.R_TAGS + spec, Constants.R_REMOTES + "origin/" + spec)) {
            ObjectId id = repo.resolve(candidate + "^{commit}");
            if (id != null) return id;
        }
        if (spec.equals(Constants.HEAD)) throw new SourceException(description + " has no commits yet (HEAD does not resolve)");
        throw new SourceException("no ref or commit '" + spec + "' in " + description);
    }

    private static Optional<byte[]> readBlob(Repository repo, RevTree tree, String repoRelative) throws IOException {
        SafePaths.relativeProblem(repoRelative).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        try (TreeWalk tw = TreeWalk.forPath(repo, repoRelative, tree)) {
            if (tw == null || (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE)) {
                return Optional.empty();
            }
            try (ObjectReader reader = repo.newObjectReader()) {
                return Optional.of(TreeBlobs.read(reader, tw.getObjectId(0), repoRelative, TreeBlobs.MAX_REFERENCED_BYTES));
            }
        }
    }
}
