package io.devbox.agent.source;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.RunLock;
import io.devbox.agent.host.Times;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Profiles from a remote git repository, the GitOps way (Flux's "last good revision"): fetch the configured ref
 * into the cache clone, pin its head, verify and validate it, and only then make it the last good commit. When
 * the remote is unreachable, or the new head is invalid, unverified or a refused force-push, the run uses the
 * last good commit instead, and the problem is recorded in {@code source.json} and the run record.
 */
public final class RemoteGitSource {
    /** The checks a candidate commit must pass before it becomes the last good one (parse, schema, compose). */
    @FunctionalInterface
    public interface Check<T> {
        T apply(Snapshot snapshot) throws ProfileException, IOException;
    }

    /**
     * The result of resolving the source for one run.
     *
     * @param value     what the check returned for the commit used
     * @param state     the source state after this run (also written to source.json)
     * @param problems  source problems of this run (empty when the head was used); the run reports them as errors
     * @param notes     things worth telling that are not problems (a damaged cache re-cloned, a force-push followed)
     */
    public record Resolved<T>(Snapshot snapshot, T value, String signature, SourceState state, List<String> problems,
                              List<String> notes) {
        public Resolved {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }
    }

    private final String url;
    private final String ref;
    private final String path;
    private final Path stateDir;
    private final CommitVerifier verifier;
    private final boolean requireFastForward;
    private final CredentialsProvider credentials;
    private final Clock clock;
    private final Duration timeout;

    public RemoteGitSource(String url, String ref, String path, Path stateDir, CommitVerifier verifier,
                           boolean requireFastForward, CredentialsProvider credentials, Clock clock, Duration timeout) {
        this.url = url;
        this.ref = ref;
        this.path = path;
        this.stateDir = stateDir;
        this.verifier = verifier;
        this.requireFastForward = requireFastForward;
        this.credentials = credentials;
        this.clock = clock;
        this.timeout = timeout;
    }

    private Path cacheDir() {
        return CacheClone.dirFor(stateDir, url);
    }

    private RunLock lockCache() throws SourceException {
        try {
            return RunLock.acquire(CacheClone.lockFile(cacheDir()), "git fetch", Duration.ofMinutes(2));
        } catch (IOException | RunLock.HeldException e) {
            throw new SourceException("cannot lock the cache clone " + cacheDir() + ": " + e.getMessage(), e);
        }
    }

    /** The head of the ref, fetched now, verified; no fallback (for {@code agent validate}). */
    public Snapshot head() throws SourceException {
        try (RunLock ignored = lockCache(); CacheClone cache = open()) {
            CacheClone.Fetched f = cache.fetch(ref, credentials, timeout);
            CommitVerifier.Result v = verify(cache, f.head().name());
            if (v != null && !v.trusted()) throw new SourceException(v.reason());
            return snapshot(f.head().name());
        } catch (IOException e) {
            throw new SourceException("cache clone " + cacheDir() + ": " + IoErrors.describe(e), e);
        }
    }

    /** A given commit (a saved plan's), fetching when the cache lacks it; verified when asked. */
    public Snapshot at(String commit) throws SourceException {
        try (RunLock ignored = lockCache(); CacheClone cache = open()) {
            if (cache.commit(commit).isEmpty()) cache.fetch(ref, credentials, timeout);
            if (cache.commit(commit).isEmpty()) {
                throw new SourceException("commit " + commit + " is not in " + GitUrls.redact(url) + " (" + refName() + ")");
            }
            CommitVerifier.Result v = verify(cache, commit);
            if (v != null && !v.trusted()) throw new SourceException(v.reason());
            return snapshot(commit);
        } catch (IOException e) {
            throw new SourceException("cache clone " + cacheDir() + ": " + IoErrors.describe(e), e);
        }
    }

    private CacheClone open() throws IOException {
        return CacheClone.open(cacheDir(), url);
    }

    /** The verdict on a commit, or null when verification is off. */
    private CommitVerifier.Result verify(CacheClone cache, String commit) throws IOException {
        if (verifier == null) return null;
        RevCommit c = cache.commit(commit).orElseThrow(() -> new IOException("commit " + commit + " vanished from the cache"));
        return verifier.verify(cache.repo(), c);
    }

    private Snapshot snapshot(String commit) throws SourceException {
        Snapshot s = new GitTreeSource(cacheDir(), commit, path, GitUrls.redact(url)).snapshot();
        return new Snapshot(GitUrls.redact(url), ref, s.commit(), s.profiles(), s.files());
    }

    private String refName() {
        return ref == null ? "the remote HEAD" : ref;
    }

    /**
     * Resolves the commit this run uses: the fetched head when it passes, else the last good commit. Throws only
     * when there is no usable commit at all (first run against an unreachable, invalid or untrusted source); the
     * state then still records why.
     */
    public <T> Resolved<T> resolve(Check<T> check) throws SourceException, ProfileException, IOException {
        String now = Times.iso(Instant.now(clock));
        SourceState previous = SourceState.read(stateDir);
        SourceState state = previous.isFor(GitUrls.redact(url), ref) ? previous : SourceState.empty(GitUrls.redact(url), ref);
        List<String> notes = new ArrayList<>();
        try (RunLock ignored = lockCache(); CacheClone cache = open()) {
            cache.repaired().ifPresent(notes::add);
            String good = state.commit() != null && cache.commit(state.commit()).isPresent() ? state.commit() : null;
            if (state.commit() != null && good == null) notes.add("the last good commit " + state.commit() + " is no longer in the cache");

            CacheClone.Fetched fetched;
            try {
                fetched = cache.fetch(ref, credentials, timeout);
            } catch (SourceException e) {
                state = state.withError(e.getMessage(), now);
                return fallback(cache, state, good, check, "source unreachable: " + e.getMessage(), null, notes, e);
            }
            String head = fetched.head().name();
            state = state.withFetch(now, head);

            if (head.equals(good)) {
                T value = check.apply(snapshot(good));
                state = state.withError(null, null).withBadCommit(null, List.of());
                save(state);
                return new Resolved<>(snapshot(good), value, state.signature(), state, List.of(), notes);
            }
            if (good != null && !cache.isAncestor(good, fetched.head())) {
                boolean follow = !requireFastForward;
                state = state.withForcePush(new SourceState.ForcePush(good, head, now, follow));
                if (!follow) {
                    String why = "force-push refused (--require-fast-forward): " + refName() + " moved from " + abbrev(good)
                            + " to " + abbrev(head) + ", which does not descend from it";
                    state = state.withError(why, now);
                    return fallback(cache, state, good, check, why, null, notes, null);
                }
                notes.add("force-push followed: " + refName() + " moved from " + abbrev(good) + " to " + abbrev(head)
                        + ", which does not descend from it");
            }
            String signature = null;
            if (verifier != null) {
                CommitVerifier.Result v = verify(cache, head);
                if (!v.trusted()) {
                    state = state.withBadCommit(head, List.of(v.reason())).withError("commit " + abbrev(head) + " refused: " + v.reason(), now);
                    return fallback(cache, state, good, check, state.error(), null, notes, null);
                }
                signature = v.signer();
            }
            Snapshot snap = snapshot(head);
            T value;
            try {
                value = check.apply(snap);
            } catch (ProfileException e) {
                List<String> errs = e.errors().stream().map(ProfileError::render).toList();
                state = state.withBadCommit(head, errs).withError("commit " + abbrev(head) + " is invalid: "
                        + errs.size() + (errs.size() == 1 ? " error" : " errors") + " in the profiles", now);
                return fallback(cache, state, good, check, state.error() + " (" + String.join("; ", errs) + ")", e, notes, null);
            }
            cache.keepGood(fetched.head());
            state = state.withGood(head, now, signature).withError(null, null);
            // a newer good head supersedes the refused one
            state = state.withBadCommit(null, List.of());
            save(state);
            return new Resolved<>(snap, value, signature, state, List.of(), notes);
        }
    }

    private <T> Resolved<T> fallback(CacheClone cache, SourceState state, String good, Check<T> check, String problem,
                                     ProfileException invalid, List<String> notes, SourceException unreachable)
            throws SourceException, ProfileException, IOException {
        save(state);
        if (good == null) {
            if (invalid != null) throw invalid;
            if (unreachable != null) throw unreachable;
            throw new SourceException(problem + "; there is no last good commit to use instead: nothing was changed");
        }
        Snapshot snap = snapshot(good);
        T value = check.apply(snap);
        String stale = state.fetchedAt() == null ? "never fetched" : "last fetched " + state.fetchedAt() + ", "
                + Duration.between(Instant.parse(state.fetchedAt()), Instant.now(clock)).toSeconds() + " s ago";
        String used = problem + "; using the last good commit " + abbrev(good) + " (" + stale + ")";
        return new Resolved<>(snap, value, state.signature(), state, List.of(used), notes);
    }

    private void save(SourceState state) throws IOException {
        state.write(stateDir);
    }

    private static String abbrev(String id) {
        return id == null ? "(none)" : id.substring(0, Math.min(7, id.length()));
    }

    /** The cache clone's last good commit id, for callers that need the object (report pushes). */
    public static ObjectId parse(String id) {
        return ObjectId.fromString(id);
    }
}
