package io.devbox.agent.bench;

import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.Session;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A whole `agent plan` in a warm JVM, as `watch` would run it: lock, the committed tree through JGit, profiles
 * (validation cache in the state dir), plan over a --root sandbox, run record written. The difference to the
 * process-level figures of bench/peers.sh is the JVM's start-up and warm-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SessionBench {
    @Param({"50", "2000", "10000"})
    int n;

    Path root;
    Path repo;
    AgentOptions options;

    @Setup
    public void setup() throws Exception {
        root = Fixtures.sandbox(n);
        repo = Files.createTempDirectory("devbox-jmh-repo");
        Files.createDirectories(repo.resolve("profiles"));
        Files.write(repo.resolve("profiles/bench.yaml"), Fixtures.single(n).get(0).content());
        PersonIdent who = new PersonIdent("bench", "bench@example.com");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("bench").setAuthor(who).setCommitter(who).setSign(false).call();
        }
        options = new AgentOptions(repo.toString(), null, "profiles", false, root, root.resolve("state"), null, null,
                "bench", Map.of(), "dev", Duration.ofSeconds(5), repo);
    }

    @TearDown
    public void tearDown() {
        Fixtures.delete(root);
        Fixtures.delete(repo);
    }

    @Benchmark
    public RunInfo plan() throws Exception {
        Session s = Session.open(options, Map.of(), Clock.systemUTC(), KindRegistry.standard());
        return s.plan("plan", Set.of());
    }
}
