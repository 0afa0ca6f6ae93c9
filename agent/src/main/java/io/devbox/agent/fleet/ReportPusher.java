package io.devbox.agent.fleet;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.Redactor;
import io.devbox.agent.source.SourceException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.CredentialsProvider;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes this box's latest run summary as {@code <hostname>.json} on its shard ref of the profile repository
 * ({@code agent report push}, and the watch daemon's report publishing). A push fetches only the shard, writes a commit
 * with this box's file replaced and moves the ref from the value it was built on; when another box of the shard moved
 * it first, it fetches again, rebuilds and retries after a jittered backoff, so concurrent pushes to one shard all land.
 * The push that lands also deletes the box's legacy per-box ref, if it still has one.
 */
public final class ReportPusher {
    static final int MAX_ATTEMPTS = 40;

    private final String repo;
    private final Path workingDir;
    private final Path stateDir;
    private final CredentialsProvider credentials;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param repo    the profile repository as given to {@code --repo} (URL, path, or null for the working directory's)
     * @param timeout the whole push at most, retries included
     */
    public ReportPusher(String repo, Path workingDir, Path stateDir, CredentialsProvider credentials, Clock clock, Duration timeout) {
        this.repo = repo;
        this.workingDir = workingDir;
        this.stateDir = stateDir;
        this.credentials = credentials;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** What landed: the shard ref, the new shard commit, the one it replaced (null for a new shard), tries, where. */
    public record Pushed(String ref, String commit, String previous, int attempts, String where) {
    }

    /** Pushes a report built from {@code runRecord} (a run record document as written under {@code <state>/runs}). */
    public Pushed push(String hostname, Map<String, String> labels, List<BoxReport.Override> overrides, JsonNode runRecord,
                       String agentVersion) throws IOException, SourceException {
        var problem = ReportNames.problem(hostname);
        if (problem.isPresent()) throw new SourceException(problem.get() + ": it cannot name a report; pass --hostname");
        long deadline = System.nanoTime() + timeout.toNanos();
        String shard = ReportNames.shard(hostname);
        try (ReportStore store = ReportStore.open(repo, workingDir, stateDir, credentials, left(deadline))) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                ObjectId base = store.fetchShard(shard, left(deadline));
                Instant now = clock.instant();
                byte[] json = Redactor.redact(Json.pretty(BoxReport.fromRunRecord(hostname, labels, overrides, runRecord, now, agentVersion)));
                ObjectId commit = store.writeShard(base, shard, hostname, json, now);
                if (store.update(shard, base, commit, hostname, left(deadline)) == ReportStore.Attempt.LANDED) {
                    return new Pushed(ReportNames.PREFIX + shard, commit.name(), base == null ? null : base.name(), attempt,
                            store.where());
                }
                if (!backoff(attempt, deadline)) {
                    throw new SourceException("could not push the report to " + store.where() + ": " + ReportNames.PREFIX
                            + shard + " kept moving (" + attempt + " attempts in " + timeout.toSeconds() + " s)");
                }
            }
            throw new SourceException("could not push the report to " + store.where() + ": " + ReportNames.PREFIX + shard
                    + " kept moving for " + MAX_ATTEMPTS + " attempts");
        }
    }

    private static Duration left(long deadline) throws SourceException {
        long ns = deadline - System.nanoTime();
        if (ns <= 0) throw new SourceException("the report push took longer than allowed and was given up");
        return Duration.ofNanos(ns);
    }

    /** Sleeps a jittered, growing while; false when that would pass the deadline. */
    private static boolean backoff(int attempt, long deadline) throws IOException {
        long cap = Math.min(2000, 25L << Math.min(attempt, 6));
        long ms = ThreadLocalRandom.current().nextLong(10, cap + 1);
        if (System.nanoTime() + ms * 1_000_000 >= deadline) return false;
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing the report", e);
        }
    }
}
