// Server-side cost of a fleet on one git server as it grows: one no-op fetch of the profile branch (what every box
// does every interval) and one report push (what a box does when its report changes), measured per connection
// through bench/CountingProxy.java: bytes each way, and the CPU time of the server process that served the
// connection (`git daemon --inetd` with its upload-pack/receive-pack, started per connection).
// Usage (bench/fleet-scale.sh runs it): java -cp agent/target/devbox-agent.jar:CLASSES FleetScale WORK HOSTS REPS LAYOUT
//   LAYOUT shards: the reports of HOSTS boxes on the 256 shard refs (this agent);
//   LAYOUT legacy: one ref per box, as agents before the shards wrote them (the pushing box migrates its own).
import io.devbox.agent.fleet.BoxReport;
import io.devbox.agent.fleet.ReportNames;
import io.devbox.agent.fleet.ReportPusher;
import io.devbox.agent.host.Json;
import io.devbox.agent.source.CacheClone;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class FleetScale {
    // the children's CPU of this one command: a difference, since a process started through wrappers (a python3 shim)
    // already carries the CPU of the children its earlier images waited for
    static final String CPU_OF = "import os, resource, subprocess, sys\n"
            + "def cpu():\n"
            + "    r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            + "    return r.ru_utime + r.ru_stime\n"
            + "before = cpu()\n"
            + "p = subprocess.run(sys.argv[1:])\n"
            + "open(os.environ['CPU_FILE'], 'w').write('%.6f' % (cpu() - before))\n"
            + "sys.exit(p.returncode)\n";

    public static void main(String[] a) throws Exception {
        Path work = Path.of(a[0]);
        int hosts = Integer.parseInt(a[1]);
        int reps = Integer.parseInt(a[2]);
        boolean legacy = a[3].equals("legacy");
        Path srv = work.resolve("srv");
        Path bare = srv.resolve("fleet.git");
        int refs;
        try (Repository r = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build()) {
            r.create(true);
            profileCommit(r);
            refs = legacy ? legacyReports(r, hosts) : shardReports(r, hosts);
        }
        // a server as it would be: objects packed, refs packed; and no `gc --auto` detaching after a push, whose CPU
        // would belong to no connection (a server's gc is periodic work, not the cost of one push)
        run(List.of("git", "-C", bare.toString(), "repack", "-adq"));
        run(List.of("git", "-C", bare.toString(), "pack-refs", "--all"));
        run(List.of("git", "-C", bare.toString(), "config", "receive.autogc", "false"));

        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> server = List.of(python, "-c", CPU_OF, "git", "daemon", "--inetd", "--export-all",
                "--enable=receive-pack", "--base-path=" + srv, srv.toString());
        try (CountingProxy proxy = CountingProxy.spawning(server)) {
            String url = "git://127.0.0.1:" + proxy.port() + "/fleet.git";
            String box = host(1);
            Path state = work.resolve("box");
            JsonNode record = runRecord();
            // steady state first: the box has fetched the profiles and pushed its report before
            fetch(state, url);
            pusher(url, state).push(box, labels(1), List.of(), record, "bench");

            Cost fetch = new Cost();
            for (int i = 0; i < reps; i++) fetch.add(proxy, () -> fetch(state, url));
            Cost push = new Cost();
            for (int i = 0; i < reps; i++) {
                neighbourPushed(bare, ReportNames.shard(box), i);   // another box of the shard moved it meanwhile
                push.add(proxy, () -> pusher(url, state).push(box, labels(1), List.of(), record, "bench"));
            }
            Cost first = new Cost();
            for (int i = 0; i < reps; i++) {
                final int k = i;
                String fresh = "new-box-" + i;
                Path freshState = work.resolve("fresh-" + i);
                first.add(proxy, () -> pusher(url, freshState).push(fresh, labels(k), List.of(), record, "bench"));
            }
            System.out.printf("| %,d | %s | %,d | %s | %s | %s |%n", hosts, legacy ? "one ref per box (before)" : "256 shards",
                    refs, fetch, push, first);
        }
    }

    interface Action {
        void run() throws Exception;
    }

    /** Mean bytes each way and server CPU of an action, over its repetitions. */
    static final class Cost {
        long up;
        long down;
        double cpu;
        int n;
        int connections;

        void add(CountingProxy proxy, Action action) throws Exception {
            long u = proxy.up.get(), d = proxy.down.get();
            int c = proxy.connections();
            double cpu0 = proxy.cpuSeconds();
            action.run();
            // every connection the action opened must have finished before its CPU is read
            Thread.sleep(20);
            proxy.awaitIdle();
            up += proxy.up.get() - u;
            down += proxy.down.get() - d;
            cpu += proxy.cpuSeconds() - cpu0;
            connections += proxy.connections() - c;
            n++;
        }

        @Override
        public String toString() {
            return String.format("%s / %s, %.1f ms (%d conn.)", CountingProxy.bytes((double) up / n), CountingProxy.bytes((double) down / n),
                    1000 * cpu / n, connections / n);
        }
    }

    static void fetch(Path state, String url) throws Exception {
        try (CacheClone c = CacheClone.open(CacheClone.dirFor(state, url), url)) {
            c.fetch(null, CredentialsProvider.getDefault(), Duration.ofSeconds(60));
        }
    }

    static ReportPusher pusher(String url, Path state) {
        return new ReportPusher(url, state, state, CredentialsProvider.getDefault(), Clock.systemUTC(), Duration.ofSeconds(60));
    }

    static String host(int i) {
        return String.format("dev-%05d", i);
    }

    static Map<String, String> labels(int i) {
        return Map.of("team", i % 3 == 0 ? "frontend" : "backend", "site", i % 2 == 0 ? "berlin" : "paris");
    }

    /** A run record as a box of 50 sysctls with two drifts and an error writes it (the report keeps ids and counts). */
    static JsonNode runRecord() {
        ObjectNode r = Json.object();
        r.put("id", "20261201T100000Z-watch-1a2b");
        r.put("command", "watch");
        r.put("startedAt", "2026-12-01T10:00:00Z");
        r.put("durationMs", 240);
        r.putObject("source").put("repo", "ssh://git@git.example.com/acme/fleet.git").put("commit",
                "3f9c2e1a7b4d5e6f708192a3b4c5d6e7f8091a2b");
        ArrayNode res = r.putArray("resources");
        for (int i = 0; i < 50; i++) {
            String status = i == 3 || i == 17 ? "drift" : i == 30 ? "error" : "ok";
            res.addObject().put("id", "sysctl[net.ipv4.conf.eth0.key_" + i + "]").put("status", status);
        }
        r.putObject("summary").put("ok", 47).put("drift", 2).put("error", 1);
        return r;
    }

    static byte[] report(int i) {
        ObjectNode n = BoxReport.fromRunRecord(host(i), labels(i), List.of(), runRecord(), Instant.parse("2026-12-01T10:00:00Z"), "bench");
        return Json.pretty(n);
    }

    static void profileCommit(Repository r) throws Exception {
        try (ObjectInserter ins = r.newObjectInserter()) {
            TreeFormatter profiles = new TreeFormatter();
            profiles.append("base.yaml", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB,
                    "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\nspec:\n  sysctl:\n    net.core.somaxconn: 4096\n".getBytes()));
            TreeFormatter root = new TreeFormatter();
            root.append("profiles", FileMode.TREE, ins.insert(profiles));
            ObjectId c = commit(ins, ins.insert(root), "profiles");
            ins.flush();
            set(r, "refs/heads/main", c);
            RefUpdate head = r.updateRef(Constants.HEAD);
            head.link("refs/heads/main");
        }
    }

    static int shardReports(Repository r, int hosts) throws Exception {
        Map<String, Map<String, ObjectId>> shards = new TreeMap<>();
        try (ObjectInserter ins = r.newObjectInserter()) {
            for (int i = 1; i <= hosts; i++) {
                shards.computeIfAbsent(ReportNames.shard(host(i)), k -> new TreeMap<>())
                        .put(ReportNames.fileName(host(i)), ins.insert(Constants.OBJ_BLOB, report(i)));
            }
            for (Map.Entry<String, Map<String, ObjectId>> s : shards.entrySet()) {
                TreeFormatter t = new TreeFormatter();
                s.getValue().forEach((name, blob) -> t.append(name, FileMode.REGULAR_FILE, blob));
                set(r, ReportNames.PREFIX + s.getKey(), commit(ins, ins.insert(t), "reports"));
            }
            ins.flush();
        }
        return shards.size() + 1;
    }

    static int legacyReports(Repository r, int hosts) throws Exception {
        try (ObjectInserter ins = r.newObjectInserter()) {
            for (int i = 1; i <= hosts; i++) {
                TreeFormatter t = new TreeFormatter();
                t.append(ReportNames.LEGACY_FILE, FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, report(i)));
                set(r, ReportNames.PREFIX + host(i), commit(ins, ins.insert(t), "report"));
            }
            ins.flush();
        }
        return hosts + 1;
    }

    /** Another box of the shard pushed: its file in the shard commit is replaced (written on the server directly). */
    static void neighbourPushed(Path bare, String shard, int round) throws Exception {
        try (Repository r = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build();
             ObjectInserter ins = r.newObjectInserter(); RevWalk walk = new RevWalk(r)) {
            ObjectId tip = r.resolve(ReportNames.PREFIX + shard);
            Map<String, ObjectId> files = new TreeMap<>();
            try (TreeWalk tw = new TreeWalk(r)) {
                tw.addTree(walk.parseCommit(tip).getTree());
                while (tw.next()) files.put(tw.getNameString(), tw.getObjectId(0));
            }
            byte[] json = new String(report(2), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("2026-12-01T10:00:00Z", Instant.parse("2026-12-01T10:00:00Z").plusSeconds(60L * (round + 1)).toString())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            files.put("neighbour.json", ins.insert(Constants.OBJ_BLOB, json));
            TreeFormatter t = new TreeFormatter();
            files.forEach((name, blob) -> t.append(name, FileMode.REGULAR_FILE, blob));
            ObjectId c = commit(ins, ins.insert(t), "neighbour");
            ins.flush();
            set(r, ReportNames.PREFIX + shard, c);
        }
    }

    static ObjectId commit(ObjectInserter ins, ObjectId tree, String message) throws Exception {
        PersonIdent who = new PersonIdent("bench", "bench@example.com", Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setAuthor(who);
        c.setCommitter(who);
        c.setMessage(message + "\n");
        return ins.insert(c);
    }

    static void set(Repository r, String ref, ObjectId id) throws Exception {
        RefUpdate u = r.updateRef(ref);
        u.setNewObjectId(id);
        u.setForceUpdate(true);
        u.update();
    }

    static void run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException(argv + " failed");
    }
}
