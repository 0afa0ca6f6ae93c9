package io.devbox.agent.fleet;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads and writes the report commits of a repository: shard trees of {@code <hostname>.json}, legacy report commits. */
final class ReportTrees {
    /** Reports larger than this are not read (a box's report is a few kilobytes). */
    static final int MAX_REPORT_BYTES = 1 << 20;

    private ReportTrees() {
    }

    /**
     * Writes a shard commit holding the reports of {@code base} (a shard commit, a legacy report commit of the host
     * that names the shard, or null) with this host's file replaced by {@code json}. The commit has no parent: the
     * reports are a current state, and a chain of every push would make the repository (and a first fetch) grow with
     * every report for ever.
     */
    static ObjectId writeShard(Repository repo, ObjectId base, String shard, String hostname, byte[] json, Instant now)
            throws IOException {
        Map<String, ObjectId> files = new TreeMap<>();
        if (base != null) files.putAll(shardFiles(repo, base, shard));
        try (ObjectInserter ins = repo.newObjectInserter()) {
            files.put(ReportNames.fileName(hostname), ins.insert(Constants.OBJ_BLOB, json));
            // every entry is a file, so git's tree order is the byte order of the names
            List<Map.Entry<String, ObjectId>> sorted = new ArrayList<>(files.entrySet());
            sorted.sort((a, b) -> Arrays.compareUnsigned(Constants.encode(a.getKey()), Constants.encode(b.getKey())));
            TreeFormatter tree = new TreeFormatter();
            for (Map.Entry<String, ObjectId> e : sorted) tree.append(e.getKey(), FileMode.REGULAR_FILE, e.getValue());
            PersonIdent who = new PersonIdent("devbox-agent", "devbox-agent@localhost", now, ZoneOffset.UTC);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(tree));
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("devbox report " + ReportNames.fileName(hostname) + " " + now + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    /** The report files of a shard commit by name; a legacy report commit counts as the file of the shard's own name. */
    static Map<String, ObjectId> shardFiles(Repository repo, ObjectId commit, String shard) throws IOException {
        Map<String, ObjectId> out = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Map.Entry<String, ObjectId> f : files(repo, walk.parseCommit(commit)).entrySet()) {
                if (f.getKey().equals(ReportNames.LEGACY_FILE)) out.put(ReportNames.fileName(shard), f.getValue());
                else if (ReportNames.hostnameOf(f.getKey()).isPresent()) out.put(f.getKey(), f.getValue());
            }
        }
        return out;
    }

    /**
     * One box's report as stored: its raw bytes (empty when unreadable, with the problem), the ref and commit it was
     * found on, and whether that is a legacy per-box ref.
     */
    record Stored(String hostname, Optional<byte[]> json, String ref, ObjectId commit, boolean legacy, String problem) {
    }

    /**
     * Every stored report under {@code prefix} (the repository's name for {@code refs/devbox/reports/}): the files of
     * shard commits, and the {@code report.json} of legacy per-box commits (the ref names the host).
     */
    static List<Stored> reports(Repository repo, String prefix) throws IOException {
        List<Stored> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(prefix)) {
                String suffix = r.getName().substring(prefix.length());
                String remoteName = ReportNames.PREFIX + suffix;
                RevCommit c;
                try {
                    c = walk.parseCommit(r.getObjectId());
                } catch (IOException e) {
                    continue;
                }
                Map<String, ObjectId> files = files(repo, c);
                ObjectId legacyBlob = files.get(ReportNames.LEGACY_FILE);
                if (legacyBlob != null) {
                    out.add(stored(repo, suffix, legacyBlob, remoteName, c, true));
                    continue;
                }
                if (!ReportNames.isShardName(suffix)) continue;
                for (Map.Entry<String, ObjectId> f : files.entrySet()) {
                    Optional<String> host = ReportNames.hostnameOf(f.getKey());
                    if (host.isPresent()) out.add(stored(repo, host.get(), f.getValue(), remoteName, c, false));
                }
            }
        }
        return out;
    }

    private static Map<String, ObjectId> files(Repository repo, RevCommit c) throws IOException {
        Map<String, ObjectId> out = new TreeMap<>();
        try (TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(c.getTree());
            while (tw.next()) {
                if (tw.getFileMode(0) == FileMode.REGULAR_FILE) out.put(tw.getNameString(), tw.getObjectId(0));
            }
        }
        return out;
    }

    private static Stored stored(Repository repo, String hostname, ObjectId blob, String ref, RevCommit c, boolean legacy)
            throws IOException {
        ObjectLoader l = repo.open(blob, Constants.OBJ_BLOB);
        if (l.getSize() > MAX_REPORT_BYTES) {
            return new Stored(hostname, Optional.empty(), ref, c, legacy, "a report of " + l.getSize() + " bytes (at most "
                    + MAX_REPORT_BYTES + " are read)");
        }
        return new Stored(hostname, Optional.of(l.getCachedBytes(MAX_REPORT_BYTES)), ref, c, legacy, null);
    }
}
