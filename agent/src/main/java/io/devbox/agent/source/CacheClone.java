package io.devbox.agent.source;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent's bare cache clone of one remote ({@code <state-dir>/git/<key>}). It fetches only the configured
 * ref into {@code refs/devbox/fetched}, keeps the last good commit alive under {@code refs/devbox/good} (so a
 * force-push or gc never loses it), and is checked on open: a clone whose HEAD, refs or objects are damaged is
 * deleted and cloned afresh, and lock files a killed run left are removed. Callers hold the cache lock
 * ({@link #lockFile}).
 */
public final class CacheClone implements AutoCloseable {
    public static final String FETCHED = "refs/devbox/fetched";
    public static final String GOOD = "refs/devbox/good";
    public static final String REPORTS = "refs/devbox/remote-reports/";

    private final Path dir;
    private final String url;
    private final Repository repo;
    private final String repaired;

    private CacheClone(Path dir, String url, Repository repo, String repaired) {
        this.dir = dir;
        this.url = url;
        this.repo = repo;
        this.repaired = repaired;
    }

    public static Path dirFor(Path stateDir, String url) {
        return stateDir.resolve("git").resolve(GitUrls.cacheKey(url));
    }

    public static Path lockFile(Path cacheDir) {
        return cacheDir.resolveSibling(cacheDir.getFileName() + ".lock");
    }

    /** Opens the cache clone, creating it, or re-creating it when it is damaged. */
    public static CacheClone open(Path dir, String url) throws IOException {
        String repaired = null;
        if (Files.exists(dir)) {
            List<String> staleLocks = removeStaleLocks(dir);
            if (!staleLocks.isEmpty()) {
                repaired = "removed lock files an interrupted run left in the cache clone " + dir + ": " + String.join(", ", staleLocks);
            }
            Optional<String> problem;
            Repository r = null;
            try {
                r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().setMustExist(true).build();
                problem = problem(r);
            } catch (IOException | RuntimeException e) {
                problem = Optional.of(String.valueOf(e.getMessage()));
            }
            if (problem.isEmpty()) return new CacheClone(dir, url, r, repaired);
            if (r != null) r.close();
            repaired = "the cache clone " + dir + " was damaged (" + problem.get() + ") and was cloned again";
            deleteTree(dir);
        }
        Files.createDirectories(dir.getParent());
        Repository r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        r.create(true);
        // the cache is private to the agent: no gc behind its back, no reflogs to grow
        r.getConfig().setBoolean("core", null, "logAllRefUpdates", false);
        r.getConfig().setInt("gc", null, "auto", 0);
        r.getConfig().save();
        return new CacheClone(dir, url, r, repaired);
    }

    /** The files JGit locks beside the ref, packed-refs, config or HEAD it updates, at the top of a bare clone. */
    private static final List<String> TOP_LEVEL_LOCKS = List.of("HEAD.lock", "config.lock", "packed-refs.lock", "shallow.lock",
            "FETCH_HEAD.lock");

    /**
     * Removes the lock files ({@code <file>.lock}) a run killed while updating the clone left behind: while one stays,
     * every update of its file fails. Callers hold the cache lock, so no other process writes here and every lock file
     * is stale. Only files and links are removed (a link itself, never its target); a directory of such a name, which
     * JGit never makes, stays, and the fetch that cannot lock says so. Returns the removed names, sorted.
     */
    static List<String> removeStaleLocks(Path dir) throws IOException {
        List<Path> locks = new ArrayList<>();
        for (String name : TOP_LEVEL_LOCKS) locks.add(dir.resolve(name));
        Path refs = dir.resolve(Constants.R_REFS);
        if (Files.isDirectory(refs, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(refs)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".lock")).forEach(locks::add);
            }
        }
        List<String> removed = new ArrayList<>();
        for (Path lock : locks) {
            if (!Files.isDirectory(lock, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(lock)) {
                removed.add(dir.relativize(lock).toString());
            }
        }
        removed.sort(null);
        return removed;
    }

    /** Why the clone cannot be trusted (unreadable HEAD or refs, missing objects), or empty when it is sound. */
    static Optional<String> problem(Repository r) {
        try {
            if (!r.getObjectDatabase().exists()) return Optional.of("no object database");
            Ref head = r.exactRef(Constants.HEAD);
            if (head == null) {
                // a bare clone's HEAD must at least name a branch, even an unborn one
                String content = Files.readString(r.getDirectory().toPath().resolve(Constants.HEAD)).strip();
                if (!content.startsWith("ref: refs/")) return Optional.of("HEAD is unreadable");
            }
            List<Ref> refs = r.getRefDatabase().getRefsByPrefix("refs/");
            try (RevWalk walk = new RevWalk(r); ObjectReader reader = r.newObjectReader()) {
                for (Ref ref : refs) {
                    if (ref.getObjectId() == null) return Optional.of(ref.getName() + " does not name an object");
                    RevCommit c = walk.parseCommit(ref.getObjectId());
                    walk.markStart(c);
                    try (TreeWalk tw = new TreeWalk(reader)) {
                        tw.addTree(c.getTree());
                        tw.setRecursive(true);
                        while (tw.next()) {
                            if (!reader.has(tw.getObjectId(0))) return Optional.of("object " + tw.getObjectId(0).name() + " is missing");
                        }
                    }
                }
                // every commit of the history must be there: force-push detection walks it
                while (walk.next() != null) {
                    // parsing is the check
                }
            }
            return Optional.empty();
        } catch (MissingObjectException e) {
            return Optional.of("object " + e.getObjectId().name() + " is missing");
        } catch (IOException | RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    public Repository repo() {
        return repo;
    }

    public Path dir() {
        return dir;
    }

    /** What {@link #open} repaired: lock files an interrupted run left, removed, or a damaged clone, cloned again. */
    public Optional<String> repaired() {
        return Optional.ofNullable(repaired);
    }

    /** What a fetch brought: the head commit of the ref, and the branch the remote HEAD named (if asked). */
    public record Fetched(ObjectId head, String remoteRef) {
    }

    /**
     * Fetches only {@code ref} (a branch, tag or full ref name; null: the remote HEAD). Objects already here are
     * not sent again: when nothing changed the remote only advertises its refs.
     */
    public Fetched fetch(String ref, CredentialsProvider credentials, Duration timeout) throws SourceException {
        List<String> candidates = ref == null || ref.isBlank() ? List.of(Constants.HEAD)
                : ref.startsWith("refs/") ? List.of(ref)
                : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref);
        SourceException last = null;
        for (String src : candidates) {
            try {
                FetchResult res = Git.wrap(repo).fetch().setRemote(url)
                        .setRefSpecs(new RefSpec("+" + src + ":" + FETCHED))
                        .setTagOpt(TagOpt.NO_TAGS)
                        .setCredentialsProvider(credentials)
                        .setTimeout((int) Math.max(1, timeout.toSeconds()))
                        .call();
                requireMoved(res, dir, src + " from " + GitUrls.redact(url));
                Ref fetched = repo.exactRef(FETCHED);
                if (fetched == null) throw new SourceException("fetching " + src + " from " + GitUrls.redact(url) + " gave nothing");
                ObjectId commit;
                try (RevWalk walk = new RevWalk(repo)) {
                    commit = walk.parseCommit(fetched.getObjectId()).copy();
                }
                Ref adv = res.getAdvertisedRef(src);
                String name = adv != null && adv.isSymbolic() ? adv.getTarget().getName() : src;
                return new Fetched(commit, name);
            } catch (GitAPIException e) {
                String msg = String.valueOf(e.getMessage());
                last = new SourceException("cannot fetch " + src + " from " + GitUrls.redact(url) + ": " + msg, e);
                if (!msg.contains("does not have")) throw last;
            } catch (IOException e) {
                throw new SourceException("cannot fetch " + src + " from " + GitUrls.redact(url) + ": " + e.getMessage(), e);
            }
        }
        if (ref == null || ref.isBlank()) {
            throw new SourceException("the remote HEAD of " + GitUrls.redact(url) + " names no branch with commits (pass --ref BRANCH)", last);
        }
        throw new SourceException("no branch or tag '" + ref + "' in " + GitUrls.redact(url), last);
    }

    /**
     * Throws when a fetch brought what it asked for but could not move one of the local refs it was to update (a lock
     * file it could not take, a failed write): read afterwards, that ref gives its old commit as if it were the new one.
     */
    public static void requireMoved(FetchResult fetched, Path cacheDir, String what) throws SourceException {
        for (TrackingRefUpdate u : fetched.getTrackingRefUpdates()) {
            if (!moved(u.getResult())) {
                throw new SourceException("cannot fetch " + what + ": the cache clone " + cacheDir + " could not move "
                        + u.getLocalName() + " (" + u.getResult() + ")");
            }
        }
    }

    private static boolean moved(RefUpdate.Result r) {
        return r == RefUpdate.Result.NEW || r == RefUpdate.Result.FORCED || r == RefUpdate.Result.FAST_FORWARD
                || r == RefUpdate.Result.NO_CHANGE;
    }

    /** The commit with this id, if the cache has it (and all it needs). */
    public Optional<RevCommit> commit(String id) {
        if (id == null) return Optional.empty();
        try (RevWalk walk = new RevWalk(repo)) {
            return Optional.of(walk.parseCommit(ObjectId.fromString(id)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when {@code ancestor} is {@code head} or reachable from it. */
    public boolean isAncestor(String ancestor, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)), walk.parseCommit(head));
        } catch (MissingObjectException e) {
            return false;
        }
    }

    /** Pins the last good commit so neither a force-push nor gc can drop it from the cache. */
    public void keepGood(ObjectId commit) throws IOException {
        RefUpdate u = repo.updateRef(GOOD);
        u.setNewObjectId(commit);
        u.setForceUpdate(true);
        RefUpdate.Result r = u.update();
        if (!moved(r)) {
            throw new IOException("cannot update " + GOOD + " in " + dir + ": " + r);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        repo.close();
    }
}
