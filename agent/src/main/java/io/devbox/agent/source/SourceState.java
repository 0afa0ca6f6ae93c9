package io.devbox.agent.source;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.AtomicFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent knows about its git source between runs, persisted as {@code <state-dir>/source.json}
 * (formatVersion 1, written atomically after every run that reads a remote repository). Readers such as
 * {@code agent status} use {@link #read(Path)}; every field may be null.
 *
 * @param repo            the repository as configured (URL or path)
 * @param ref             the ref asked for, or null for the remote HEAD's branch
 * @param commit          the last good commit: fetched, verified (when asked) and valid; what runs use
 * @param goodAt          when {@code commit} became the last good commit (ISO-8601)
 * @param signature       who signed {@code commit}, when verification is on
 * @param fetchedAt       the time of the last successful fetch (how stale {@code commit} may be)
 * @param head            the head commit seen at the last successful fetch
 * @param error           the current source problem (unreachable, bad commit, untrusted commit, refused
 *                        force-push), or null when the last run used the head
 * @param errorAt         when {@code error} was last seen
 * @param badCommit       the newest commit that was refused (invalid or unverified), or null
 * @param badCommitErrors why it was refused: profile errors as {@code FILE:LINE:COL: message}, or the
 *                        verification failure
 * @param forcePush       the last force-push seen (the head was not a descendant of the last good commit)
 */
public record SourceState(String repo, String ref, String commit, String goodAt, String signature, String fetchedAt,
                          String head, String error, String errorAt, String badCommit, List<String> badCommitErrors,
                          ForcePush forcePush) {
    public static final String FILE = "source.json";
    public static final int FORMAT_VERSION = 1;

    public SourceState {
        badCommitErrors = badCommitErrors == null ? List.of() : List.copyOf(badCommitErrors);
    }

    /**
     * @param from     the last good commit before the push
     * @param to       the new head
     * @param at       when it was seen
     * @param followed true when the agent moved to the new head, false when refused (--require-fast-forward)
     */
    public record ForcePush(String from, String to, String at, boolean followed) {
    }

    public static SourceState empty(String repo, String ref) {
        return new SourceState(repo, ref, null, null, null, null, null, null, null, null, List.of(), null);
    }

    /** The state in {@code stateDir}, or empty when there is none yet. */
    public static SourceState read(Path stateDir) throws IOException {
        Path f = stateDir.resolve(FILE);
        JsonNode n;
        try {
            n = Json.read(AtomicFiles.readState(f));
        } catch (NoSuchFileException e) {
            return empty(null, null);
        } catch (JacksonException e) {
            throw new IOException("state file " + f + " is not valid JSON (" + e.getOriginalMessage() + "); move it away to start afresh", e);
        }
        List<String> bad = new ArrayList<>();
        n.path("badCommitErrors").forEach(e -> bad.add(e.asString()));
        JsonNode fp = n.path("forcePush");
        ForcePush forcePush = fp.isObject()
                ? new ForcePush(text(fp, "from"), text(fp, "to"), text(fp, "at"), fp.path("followed").asBoolean(false)) : null;
        return new SourceState(text(n, "repo"), text(n, "ref"), text(n, "commit"), text(n, "goodAt"), text(n, "signature"),
                text(n, "fetchedAt"), text(n, "head"), text(n, "error"), text(n, "errorAt"), text(n, "badCommit"), bad, forcePush);
    }

    public void write(Path stateDir) throws IOException {
        AtomicFiles.write(stateDir.resolve(FILE), io.devbox.agent.host.Redactor.redact(Json.pretty(toJson())), "rw-------");
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("formatVersion", FORMAT_VERSION);
        n.put("repo", repo);
        n.put("ref", ref);
        n.put("commit", commit);
        n.put("goodAt", goodAt);
        n.put("signature", signature);
        n.put("fetchedAt", fetchedAt);
        n.put("head", head);
        n.put("error", error);
        n.put("errorAt", errorAt);
        n.put("badCommit", badCommit);
        ArrayNode bad = n.putArray("badCommitErrors");
        badCommitErrors.forEach(bad::add);
        if (forcePush == null) {
            n.putNull("forcePush");
        } else {
            ObjectNode fp = n.putObject("forcePush");
            fp.put("from", forcePush.from());
            fp.put("to", forcePush.to());
            fp.put("at", forcePush.at());
            fp.put("followed", forcePush.followed());
        }
        return n;
    }

    /** True when this state belongs to the given source (a changed --repo or --ref starts afresh). */
    public boolean isFor(String repo, String ref) {
        return java.util.Objects.equals(this.repo, repo) && java.util.Objects.equals(this.ref, ref);
    }

    SourceState withGood(String commit, String goodAt, String signature) {
        return new SourceState(repo, ref, commit, goodAt, signature, fetchedAt, head, error, errorAt, badCommit, badCommitErrors, forcePush);
    }

    SourceState withFetch(String fetchedAt, String head) {
        return new SourceState(repo, ref, commit, goodAt, signature, fetchedAt, head, error, errorAt, badCommit, badCommitErrors, forcePush);
    }

    SourceState withError(String error, String errorAt) {
        return new SourceState(repo, ref, commit, goodAt, signature, fetchedAt, head, error, errorAt, badCommit, badCommitErrors, forcePush);
    }

    SourceState withBadCommit(String badCommit, List<String> errors) {
        return new SourceState(repo, ref, commit, goodAt, signature, fetchedAt, head, error, errorAt, badCommit, errors, forcePush);
    }

    SourceState withForcePush(ForcePush fp) {
        return new SourceState(repo, ref, commit, goodAt, signature, fetchedAt, head, error, errorAt, badCommit, badCommitErrors, fp);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asString();
    }
}
