package io.devbox.agent.fleet;

import io.devbox.agent.engine.RunLock;
import io.devbox.agent.source.CacheClone;
import io.devbox.agent.source.GitUrls;
import io.devbox.agent.source.SourceException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's reports in the profile repository: at most 256 shard refs {@code refs/devbox/reports/<xx>}, each a
 * commit (without parents: the reports are a current state, not a history that grows with every push) whose tree
 * holds one {@code <hostname>.json} per box of the shard (see {@link ReportNames}). A remote is read and written
 * through the agent's cache clone: a push fetches only its own shard (protocol v2 asks for that ref alone) and moves
 * it by compare-and-swap; a local repository is written directly, with the same compare-and-swap.
 */
final class ReportStore implements AutoCloseable {
    /** Where the cache clone keeps the remote's report refs. */
    static final String TRACKING = CacheClone.REPORTS;

    private final Repository repo;
    private final CacheClone clone;
    private final String url;
    private final RunLock lock;
    private final CredentialsProvider credentials;

    private ReportStore(Repository repo, CacheClone clone, String url, RunLock lock, CredentialsProvider credentials) {
        this.repo = repo;
        this.clone = clone;
        this.url = url;
        this.lock = lock;
        this.credentials = credentials;
    }

    /** {@code repo}: a git URL, a local repository path, or null for the repository containing {@code workingDir}. */
    static ReportStore open(String repo, Path workingDir, Path stateDir, CredentialsProvider credentials, Duration lockWait)
            throws SourceException, IOException {
        if (repo != null && GitUrls.isUrl(repo)) {
            Path cache = CacheClone.dirFor(stateDir, repo);
            RunLock lock;
            try {
                lock = RunLock.acquire(CacheClone.lockFile(cache), "report", lockWait);
            } catch (RunLock.HeldException e) {
                throw new SourceException(e.getMessage());
            }
            try {
                CacheClone clone = CacheClone.open(cache, repo);
                return new ReportStore(clone.repo(), clone, repo, lock, credentials);
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
        }
        Path dir = repo == null ? workingDir : workingDir.resolve(repo).toAbsolutePath().normalize();
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
        if (b.getGitDir() == null) {
            if (new java.io.File(dir.toFile(), "HEAD").isFile()) b.setGitDir(dir.toFile());
            else throw new SourceException("not a git repository: " + dir + " (reports are written to the profile repository)");
        }
        return new ReportStore(b.setMustExist(true).build(), null, null, null, credentials);
    }

    boolean remote() {
        return url != null;
    }

    Repository repo() {
        return repo;
    }

    /** Where this store's reports live, for messages. */
    String where() {
        return url != null ? GitUrls.redact(url) : repo.getDirectory().toString();
    }

    /** The name under which this repository holds the ref {@code refs/devbox/reports/<suffix>}. */
    private String localName(String suffix) {
        return (remote() ? TRACKING : ReportNames.PREFIX) + suffix;
    }

    // ---- the push side ----

    /**
     * The shard's current commit, or null when the shard does not exist yet. For a remote, only this one ref is
     * fetched (with protocol v2 the server lists only it); objects already here are not sent again.
     */
    ObjectId fetchShard(String shard, Duration timeout) throws SourceException, IOException {
        String ref = ReportNames.PREFIX + shard;
        if (remote()) {
            try {
                FetchResult fetched = Git.wrap(repo).fetch().setRemote(url).setRefSpecs(new RefSpec("+" + ref + ":" + localName(shard)))
                        .setTagOpt(TagOpt.NO_TAGS).setCredentialsProvider(credentials).setTimeout(seconds(timeout)).call();
                CacheClone.requireMoved(fetched, clone.dir(), ref + " from " + where());
            } catch (GitAPIException e) {
                if (!String.valueOf(e.getMessage()).contains("does not have")) {
                    throw new SourceException("cannot fetch " + ref + " from " + where() + ": " + e.getMessage(), e);
                }
                deleteLocal(localName(shard));
                return null;
            }
        }
        Ref r = repo.exactRef(localName(shard));
        return r == null ? null : r.getObjectId();
    }

    /**
     * Writes a shard commit: the reports of {@code base} (a shard commit, a legacy report commit of the host that
     * names the shard, or null) with this host's file replaced by {@code json}.
     */
    ObjectId writeShard(ObjectId base, String shard, String hostname, byte[] json, Instant now) throws IOException {
        return ReportTrees.writeShard(repo, base, shard, hostname, json, now);
    }

    /** The outcome of one push attempt. */
    enum Attempt { LANDED, LOST_RACE }

    /**
     * Moves the shard ref from {@code expectedOld} (null: absent) to {@code commit} unless someone moved it first and,
     * in the same atomic update where the server allows it, deletes the host's legacy ref
     * {@code refs/devbox/reports/<hostname>} if there is one.
     */
    Attempt update(String shard, ObjectId expectedOld, ObjectId commit, String hostname, Duration timeout)
            throws IOException, SourceException {
        String ref = ReportNames.PREFIX + shard;
        ObjectId old = expectedOld == null ? ObjectId.zeroId() : expectedOld;
        String legacy = legacyRef(hostname, shard);
        if (!remote()) return updateLocal(ref, old, commit, legacy);
        try (Transport t = Transport.open(repo, new URIish(url))) {
            t.setCredentialsProvider(credentials);
            t.setTimeout(seconds(timeout));
            t.setPushThin(true);
            List<RemoteRefUpdate> updates = new ArrayList<>();
            updates.add(new RemoteRefUpdate(repo, null, commit, ref, true, null, old));
            if (legacy != null) updates.add(new RemoteRefUpdate(repo, (String) null, legacy, true, null, null));
            PushResult res = pushAtomicWherePossible(t, updates);
            RemoteRefUpdate done = res.getRemoteUpdate(ref);
            return switch (done.getStatus()) {
                case OK, UP_TO_DATE -> {
                    // keep the cache's view in step: the next push of this box starts from it and sends only what changed
                    RefUpdate local = repo.updateRef(localName(shard));
                    local.setNewObjectId(commit);
                    local.setForceUpdate(true);
                    local.update();
                    yield Attempt.LANDED;
                }
                case REJECTED_REMOTE_CHANGED, REJECTED_NONFASTFORWARD, REJECTED_OTHER_REASON, AWAITING_REPORT, NOT_ATTEMPTED
                        -> Attempt.LOST_RACE;
                default -> throw new SourceException("cannot push " + ref + " to " + where() + ": " + done.getStatus()
                        + (done.getMessage() == null ? "" : " (" + done.getMessage() + ")"));
            };
        } catch (URISyntaxException e) {
            throw new SourceException("not a git URL: " + where());
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw new SourceException("cannot push " + ref + " to " + where() + ": " + e.getMessage(), e);
        }
    }

    /** The legacy per-box ref of this host, unless its name is that of the shard itself (then the update replaces it). */
    private static String legacyRef(String hostname, String shard) {
        if (hostname.equals(shard) || !Repository.isValidRefName(ReportNames.PREFIX + hostname) || hostname.contains("/")) {
            return null;
        }
        return ReportNames.PREFIX + hostname;
    }

    /**
     * One push with {@code atomic} (git's receive-pack has it since 2.4): the legacy ref disappears only together with
     * the shard update. A server without it gets the shard update first and the deletion after it.
     */
    private PushResult pushAtomicWherePossible(Transport t, List<RemoteRefUpdate> updates) throws IOException {
        if (updates.size() == 1) return t.push(NullProgressMonitor.INSTANCE, updates);
        t.setPushAtomic(true);
        try {
            return t.push(NullProgressMonitor.INSTANCE, updates);
        } catch (org.eclipse.jgit.errors.TransportException e) {
            if (!String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("atomic")) throw e;
        }
        t.setPushAtomic(false);
        return t.push(NullProgressMonitor.INSTANCE, updates);
    }

    private Attempt updateLocal(String ref, ObjectId old, ObjectId commit, String legacy) throws IOException {
        BatchRefUpdate batch = repo.getRefDatabase().newBatchUpdate().setAtomic(true).setAllowNonFastForwards(true);
        batch.setRefLogMessage("devbox report", false);
        batch.addCommand(new ReceiveCommand(old, commit, ref));
        Ref legacyNow = legacy == null ? null : repo.exactRef(legacy);
        if (legacyNow != null) batch.addCommand(new ReceiveCommand(legacyNow.getObjectId(), ObjectId.zeroId(), legacy));
        try (RevWalk walk = new RevWalk(repo)) {
            batch.execute(walk, NullProgressMonitor.INSTANCE);
        }
        for (ReceiveCommand c : batch.getCommands()) {
            switch (c.getResult()) {
                case OK -> { }
                case LOCK_FAILURE, REJECTED_NONFASTFORWARD, REJECTED_MISSING_OBJECT, REJECTED_OTHER_REASON -> {
                    return Attempt.LOST_RACE;
                }
                default -> throw new IOException("cannot update " + c.getRefName() + " in " + where() + ": " + c.getResult()
                        + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
            }
        }
        return Attempt.LANDED;
    }

    // ---- the read side ----

    /** Brings every report ref of the remote into the cache clone (deleted ones pruned); a local repository is read as it is. */
    void refreshReports(Duration timeout) throws SourceException {
        if (!remote()) return;
        try {
            FetchResult fetched = Git.wrap(repo).fetch().setRemote(url)
                    .setRefSpecs(new RefSpec("+" + ReportNames.PREFIX + "*:" + TRACKING + "*"))
                    .setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true)
                    .setCredentialsProvider(credentials).setTimeout(seconds(timeout)).call();
            CacheClone.requireMoved(fetched, clone.dir(), "the fleet's reports from " + where());
        } catch (GitAPIException e) {
            throw new SourceException("cannot fetch the fleet's reports from " + where() + ": " + e.getMessage(), e);
        }
    }

    /** The head commit of the profile branch {@code ref} (null: the remote HEAD), fetched from a remote, for commit lags. */
    Optional<ObjectId> head(String ref, Duration timeout) throws SourceException, IOException {
        if (remote()) return Optional.of(clone.fetch(ref, credentials, timeout).head());
        return Optional.ofNullable(repo.resolve((ref == null ? Constants.HEAD : ref) + "^{commit}"));
    }

    /** Every stored report: those of every shard, then those of legacy per-box refs. */
    List<ReportTrees.Stored> reports() throws IOException {
        return ReportTrees.reports(repo, remote() ? TRACKING : ReportNames.PREFIX);
    }

    private void deleteLocal(String name) throws IOException {
        if (repo.exactRef(name) == null) return;
        RefUpdate u = repo.updateRef(name);
        u.setForceUpdate(true);
        u.delete();
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
    }

    @Override
    public void close() throws IOException {
        if (clone != null) clone.close();
        else repo.close();
        if (lock != null) lock.close();
    }
}
