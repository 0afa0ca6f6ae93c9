package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rename-exchange race against the removal of a runner tree: while root deletes the tree runAs owns, runAs swaps a
 * directory of it with a symbolic link to a directory of root's files ({@code renameat2(RENAME_EXCHANGE)} in a tight
 * loop, a small C helper compiled here). Root works relative to directory handles, so the swap can make a step be
 * retried, never make root delete a file outside the tree: the 200 files outside are all there after every round. One
 * round drives the built agent's removal; the rest (at least 30 s in all) call the same removal code in a loop.
 */
class RunnerRemovalRaceSystemTest {
    private static final Duration AT_LEAST = Duration.ofSeconds(30);
    private static final String EXCHANGER = """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <signal.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <time.h>
            #include <unistd.h>
            static volatile sig_atomic_t stopping = 0;
            static void on_term(int sig) { (void) sig; stopping = 1; }
            /* exchange DIR/A and DIR/B (a directory and a link) relative to DIR's descriptor until SIGTERM or SECONDS */
            int main(int argc, char **argv) {
                if (argc != 5) { fprintf(stderr, "usage: exchange DIR A B SECONDS\\n"); return 2; }
                signal(SIGTERM, on_term);
                int dir = open(argv[1], O_RDONLY | O_DIRECTORY);
                if (dir < 0) { perror(argv[1]); return 1; }
                printf("ready\\n");
                fflush(stdout);
                time_t end = time(NULL) + atoi(argv[4]);
                long swaps = 0;
                srand(getpid());
                while (!stopping && time(NULL) < end) {
                    if (renameat2(dir, argv[2], dir, argv[3], RENAME_EXCHANGE) == 0) swaps++;
                    /* a random pause after each swap: a walker by path then meets both states long enough to list
                       through the link and to delete through it */
                    usleep(rand() % 300);
                }
                printf("%ld\\n", swaps);
                return 0;
            }
            """;

    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;
    Path outside;
    Path exchanger;
    final List<Process> running = new ArrayList<>();

    @BeforeEach
    void box() throws Exception {
        SystemTests.requireCommand("gcc");
        box = UserBox.create(root, work);
        outside = Files.createDirectories(root.resolve("srv/outside"));
        for (int i = 0; i < 200; i++) Files.writeString(outside.resolve("keep-" + i), "root's file " + i + "\n");
        Path tools = Files.createDirectories(root.resolve("tools"));
        Files.writeString(tools.resolve("exchange.c"), EXCHANGER);
        exchanger = tools.resolve("exchange");
        SystemTests.sh(List.of("gcc", "-O2", "-o", exchanger.toString(), tools.resolve("exchange.c").toString()));
    }

    @AfterEach
    void close() throws Exception {
        for (Process p : running) p.destroyForcibly().waitFor();
        box.close();
    }

    /** An exchanger as the runner's user, swapping {@code dir/sub} and {@code dir/link} once it said it is ready. */
    private record Swapper(Process process, BufferedReader out) {
        long stop() throws Exception {
            process.toHandle().destroy(); // SIGTERM, keeping the pipe open (Process.destroy closes it)
            process.waitFor();
            String last = out.readLine();
            assertThat(last).as("the exchanger's count of swaps").matches("[0-9]+");
            return Long.parseLong(last);
        }
    }

    private Swapper exchange(Path dir, int seconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(box.user.as(List.of(exchanger.toString(), dir.toString(), "sub", "link", Integer.toString(seconds))));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        running.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the exchanger started").isEqualTo("ready");
        return new Swapper(p, out);
    }

    /**
     * A runner tree of the user's with {@code _work/sub} (a directory of 40 files named like root's files outside, so
     * that a deletion by path through the swapped-in link would hit them) and {@code _work/link} (to outside).
     */
    private void plantWork(Path installDir) throws Exception {
        box.asUser("mkdir", "-p", installDir.resolve("_work/sub/deeper").toString());
        box.asUser("sh", "-c", "cd " + installDir.resolve("_work/sub") + " && for i in $(seq 0 19); do echo x > keep-$i; echo y > deeper/keep-$i; done");
        box.asUser("ln", "-s", outside.toString(), installDir.resolve("_work/link").toString());
    }

    private void assertOutsideIntact(String before) throws IOException {
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.count()).as("files outside the tree").isEqualTo(200);
        }
        assertThat(TreeHash.of(outside)).isEqualTo(before);
    }

    @Test
    void aUserSwappingADirectoryForALinkMidRemovalNeverMakesRootDeleteOutside() throws Exception {
        long started = System.nanoTime();
        String before = TreeHash.of(outside);

        // round 1: the agent's own removal, through the built jar
        LoopbackServer server = new LoopbackServer();
        try {
            byte[] tgz = FakeRunnerPackage.tarGz("2.330.0");
            server.put("/m/v2.330.0/" + RunnerLayout.tarball("2.330.0"), tgz);
            box.user.chown(Files.createDirectories(root.resolve("opt/runner-standin")));
            Path token = Files.createDirectories(root.resolve("etc/devbox-agent")).resolve("runner-token");
            Files.writeString(token, "AZQ3RACETOKEN\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
            box.profile("ci", "runner: {url: https://github.com/acme/api, name: dev-1, version: \"2.330.0\", sha256: " + FakeRunnerPackage.sha256(tgz)
                    + ", mirror: \"" + server.url("/m/") + "\", runAs: " + box.user.name() + ", tokenFile: /etc/devbox-agent/runner-token}\n");
            SystemTests.Result install = box.agent("apply", "--yes");
            assertThat(install.exitCode()).as(install.all()).isZero();
        } finally {
            server.close();
        }
        Path installDir = root.resolve("opt/actions-runner");
        plantWork(installDir);
        box.profile("ci", "{}\n");
        Swapper first = exchange(installDir.resolve("_work"), 120);
        SystemTests.Result removal = box.agent("apply", "--yes");
        long swaps = first.stop();
        assertOutsideIntact(before);
        if (removal.exitCode() == 0) assertThat(installDir).doesNotExist();
        else UserBox.assertCleanError(removal, "kept changing while it was deleted");

        // more rounds of the same removal code, until the race has run for at least 30 s
        Host host = Sandboxes.host(root, box.user.name(), "/home/" + box.user.name());
        int rounds = 1;
        int refused = 0;
        while (System.nanoTime() - started < AT_LEAST.toNanos() || rounds < 20) {
            Path dir = root.resolve("opt/race-" + rounds);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(RunnerLayout.MARKER), "version=2.330.0\n");
            box.user.chown(dir);
            plantWork(dir);
            Swapper swapper = exchange(dir.resolve("_work"), 60);
            Thread.sleep(2);
            try {
                RunnerInstaller.delete(host, "/opt/race-" + rounds);
            } catch (ResourceException e) {
                assertThat(e.getMessage()).contains("kept changing while it was deleted");
                refused++;
            }
            swaps += swapper.stop();
            assertOutsideIntact(before);
            rounds++;
        }
        System.out.printf("rename-exchange race: %d rounds in %.1f s, %d swaps, %d removals refused as still changing%n",
                rounds, (System.nanoTime() - started) / 1e9, swaps, refused);
        assertThat(swaps).as("the exchanger really swapped").isPositive();
    }
}
