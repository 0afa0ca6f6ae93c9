package io.devbox.agent.fleet;

import io.devbox.agent.engine.RunLock;
import io.devbox.agent.source.CacheClone;
import io.devbox.agent.source.GitUrls;
import io.devbox.agent.source.SourceException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's reports in the profile repository: one ref per box, {@code refs/devbox/reports/<hostname>}, each a
 * chain of commits holding {@code report.json}. A remote is read and written through the agent's cache clone
 * (fetch {@code refs/devbox/reports/*}, push with the expected old value: a lease); a local repository is
 * written directly with a compare-and-swap ref update.
 */
final class ReportStore implements AutoCloseable {
    static final String PREFIX = "refs/devbox/reports/";

    private final Repository repo;
    private final String url;
    private final RunLock lock;
    private final CredentialsProvider credentials;
    private final Duration timeout;

    private ReportStore(Repository repo, String url, RunLock lock, CredentialsProvider credentials, Duration timeout) {
        this.repo = repo;
        this.url = url;
        this.lock = lock;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /** {@code repo}: a git URL, a local repository path, or null for the repository containing {@code workingDir}. */
    static ReportStore open(String repo, Path workingDir, Path stateDir, CredentialsProvider credentials, Duration timeout)
            throws SourceException, IOException {
        if (repo != null && GitUrls.isUrl(repo)) {
            Path cache = CacheClone.dirFor(stateDir, repo);
            RunLock lock;
            try {
                lock = RunLock.acquire(CacheClone.lockFile(cache), "report", Duration.ofMinutes(2));
            } catch (RunLock.HeldException e) {
                throw new SourceException(e.getMessage());
            }
            try {
                CacheClone clone = CacheClone.open(cache, repo);
                return new ReportStore(clone.repo(), repo, lock, credentials, timeout);
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
        return new ReportStore(b.setMustExist(true).build(), null, null, credentials, timeout);
    }

    boolean remote() {
        return url != null;
    }

    /** Where this store's reports live, for messages. */
    String where() {
        return url != null ? GitUrls.redact(url) : repo.getDirectory().toString();
    }

    private String localName(String hostname) {
        return remote() ? CacheClone.REPORTS + hostname : PREFIX + hostname;
    }

    /** Brings the remote's report refs into the cache clone (deleted ones pruned); a no-op for a local repository. */
    void refresh() throws SourceException {
        if (!remote()) return;
        try {
            Git.wrap(repo).fetch().setRemote(url)
                    .setRefSpecs(new RefSpec("+" + PREFIX + "*:" + CacheClone.REPORTS + "*"))
                    .setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true)
                    .setCredentialsProvider(credentials).setTimeout((int) Math.max(1, timeout.toSeconds())).call();
        } catch (GitAPIException e) {
            throw new SourceException("cannot fetch the fleet's reports from " + where() + ": " + e.getMessage(), e);
        }
    }

    /** Every box's newest report commit, by hostname (after {@link #refresh}). */
    Map<String, RevCommit> heads() throws IOException {
        Map<String, RevCommit> out = new LinkedHashMap<>();
        String prefix = remote() ? CacheClone.REPORTS : PREFIX;
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(prefix)) {
                out.put(r.getName().substring(prefix.length()), walk.parseCommit(r.getObjectId()));
            }
        }
        return out;
    }

    Optional<byte[]> report(RevCommit commit) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, BoxReport.FILE, commit.getTree())) {
            if (tw == null || tw.getFileMode(0) != FileMode.REGULAR_FILE) return Optional.empty();
            try (org.eclipse.jgit.lib.ObjectReader reader = repo.newObjectReader()) {
                return Optional.of(io.devbox.agent.source.TreeBlobs.read(reader, tw.getObjectId(0), BoxReport.FILE + " of "
                        + commit.name(), BoxReport.MAX_BYTES));
            }
        }
    }

    /** The outcome of one push attempt. */
    enum Attempt { LANDED, LOST_RACE }

    /** The box's current report commit, or null when it has none yet. */
    ObjectId current(String hostname) throws IOException {
        Ref r = repo.exactRef(localName(hostname));
        return r == null ? null : r.getObjectId();
    }

    /** Writes the report as a commit whose parent is {@code parent} (the previous report, or none). */
    ObjectId commit(String hostname, byte[] json, ObjectId parent, Instant now) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, json);
            TreeFormatter tree = new TreeFormatter();
            tree.append(BoxReport.FILE, FileMode.REGULAR_FILE, blob);
            ObjectId treeId = ins.insert(tree);
            PersonIdent who = new PersonIdent("devbox-agent " + hostname, "devbox-agent@" + hostname, now, ZoneOffset.UTC);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(treeId);
            if (parent != null) c.setParentId(parent);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("devbox report " + hostname + " " + now + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    /** Moves the box's ref from {@code expectedOld} (null: absent) to {@code commit}, unless someone else moved it first. */
    Attempt update(String hostname, ObjectId expectedOld, ObjectId commit) throws IOException, SourceException {
        String ref = PREFIX + hostname;
        ObjectId old = expectedOld == null ? ObjectId.zeroId() : expectedOld;
        if (!remote()) {
            RefUpdate u = repo.updateRef(ref);
            u.setExpectedOldObjectId(old);
            u.setNewObjectId(commit);
            u.setRefLogMessage("devbox report", false);
            RefUpdate.Result r = u.update();
            return switch (r) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> Attempt.LANDED;
                case LOCK_FAILURE, REJECTED, REJECTED_MISSING_OBJECT -> Attempt.LOST_RACE;
                default -> throw new IOException("cannot update " + ref + " in " + where() + ": " + r);
            };
        }
        try (Transport t = Transport.open(repo, new URIish(url))) {
            t.setCredentialsProvider(credentials);
            t.setTimeout((int) Math.max(1, timeout.toSeconds()));
            RemoteRefUpdate u = new RemoteRefUpdate(repo, null, commit, ref, false, null, old);
            PushResult res = t.push(NullProgressMonitor.INSTANCE, java.util.List.of(u));
            RemoteRefUpdate done = res.getRemoteUpdate(ref);
            return switch (done.getStatus()) {
                case OK, UP_TO_DATE -> {
                    // keep the cache's view in step, so the next report chains onto this one without a fetch
                    RefUpdate local = repo.updateRef(localName(hostname));
                    local.setNewObjectId(commit);
                    local.setForceUpdate(true);
                    local.update();
                    yield Attempt.LANDED;
                }
                case REJECTED_REMOTE_CHANGED, REJECTED_NONFASTFORWARD, REJECTED_OTHER_REASON -> Attempt.LOST_RACE;
                default -> throw new SourceException("cannot push " + ref + " to " + where() + ": " + done.getStatus()
                        + (done.getMessage() == null ? "" : " (" + done.getMessage() + ")"));
            };
        } catch (URISyntaxException e) {
            throw new SourceException("not a git URL: " + where());
        } catch (org.eclipse.jgit.errors.TransportException e) {
            throw new SourceException("cannot push " + ref + " to " + where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        repo.close();
        if (lock != null) lock.close();
    }
}
