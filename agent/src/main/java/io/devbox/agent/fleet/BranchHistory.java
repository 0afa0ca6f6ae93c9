package io.devbox.agent.fleet;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** The profile branch as the fleet page needs it: how far a box's commit is behind the head, and the latest commits. */
final class BranchHistory {
    /** Lags are counted up to this many commits; beyond, the box is "at least" this far behind. */
    static final int MAX_LAG = 10_000;

    private final Repository repo;
    private final ObjectId head;
    private final Map<String, OptionalInt> lags = new HashMap<>();

    BranchHistory(Repository repo, ObjectId head) {
        this.repo = repo;
        this.head = head;
    }

    ObjectId head() {
        return head;
    }

    /**
     * How many commits of the branch the box lacks ({@code git rev-list --count COMMIT..HEAD}, at most {@link #MAX_LAG});
     * empty when the commit is unknown here or not part of the branch's history (e.g. force-pushed away).
     */
    OptionalInt lag(String commit) {
        if (commit == null) return OptionalInt.empty();
        return lags.computeIfAbsent(commit, this::count);
    }

    private OptionalInt count(String commit) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit box = walk.parseCommit(ObjectId.fromString(commit));
            RevCommit tip = walk.parseCommit(head);
            if (!walk.isMergedInto(box, tip)) return OptionalInt.empty();
            walk.reset();
            walk.markStart(tip);
            walk.markUninteresting(box);
            int n = 0;
            while (walk.next() != null && n < MAX_LAG) n++;
            return OptionalInt.of(n);
        } catch (MissingObjectException | IllegalArgumentException e) {
            return OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** One commit of the branch: id, first line of its message, commit time. */
    record Commit(String id, String subject, Instant at) {
    }

    /** The latest {@code n} commits along the first parents from the head, newest first. */
    List<Commit> latest(int n) throws IOException {
        List<Commit> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(head);
            while (c != null && out.size() < n) {
                out.add(new Commit(c.name(), c.getShortMessage(), Instant.ofEpochSecond(c.getCommitTime())));
                c = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
            }
        }
        return out;
    }
}
