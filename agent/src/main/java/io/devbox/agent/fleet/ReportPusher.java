package io.devbox.agent.fleet;

import io.devbox.agent.host.Json;
import io.devbox.agent.source.SourceException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes this box's latest run summary on its own ref {@code refs/devbox/reports/<hostname>} of the profile
 * repository ({@code agent report push}, and {@code watch --report-push} after every run). Each report commit has
 * the previous one as parent. Boxes never contend (one ref each); two updaters of one ref (e.g. a watch loop and
 * a manual push) both land: the ref moves only from the value the commit was built on, and the loser rebuilds on
 * the winner's commit and tries again, with jittered backoff.
 */
public final class ReportPusher {
    static final int MAX_ATTEMPTS = 40;

    private final String repo;
    private final Path workingDir;
    private final Path stateDir;
    private final CredentialsProvider credentials;
    private final Clock clock;
    private final Duration timeout;

    /** {@code repo}: the profile repository as given to {@code --repo} (URL, path, or null for the working directory's). */
    public ReportPusher(String repo, Path workingDir, Path stateDir, CredentialsProvider credentials, Clock clock, Duration timeout) {
        this.repo = repo;
        this.workingDir = workingDir;
        this.stateDir = stateDir;
        this.credentials = credentials;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** What landed: the ref, the new report commit, the previous one (null for the first) and how many tries it took. */
    public record Pushed(String ref, String commit, String parent, int attempts, String where) {
    }

    /** Pushes a report built from {@code runRecord} (a run record document as written under {@code <state>/runs}). */
    public Pushed push(String hostname, JsonNode runRecord, String agentVersion) throws IOException, SourceException {
        if (!Repository.isValidRefName(ReportStore.PREFIX + hostname) || hostname.contains("/")) {
            throw new SourceException("hostname '" + hostname + "' cannot name a git ref; pass --hostname");
        }
        try (ReportStore store = ReportStore.open(repo, workingDir, stateDir, credentials, timeout)) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                store.refresh();
                ObjectId parent = store.current(hostname);
                Instant now = clock.instant();
                byte[] json = Json.pretty(BoxReport.fromRunRecord(hostname, runRecord, now, agentVersion));
                json = io.devbox.agent.host.Redactor.redact(json);
                ObjectId commit = store.commit(hostname, json, parent, now);
                if (store.update(hostname, parent, commit) == ReportStore.Attempt.LANDED) {
                    return new Pushed(ReportStore.PREFIX + hostname, commit.name(), parent == null ? null : parent.name(), attempt, store.where());
                }
                backoff(attempt);
            }
            throw new SourceException("could not push the report to " + store.where() + ": " + ReportStore.PREFIX + hostname
                    + " kept moving for " + MAX_ATTEMPTS + " attempts");
        }
    }

    private static void backoff(int attempt) throws IOException {
        long cap = Math.min(2000, 25L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing the report", e);
        }
    }
}
