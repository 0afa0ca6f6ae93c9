package io.devbox.agent.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on a free loopback port serving every repository under a base directory, with
 * pushes enabled. Stopped (and its children) on close; it can be stopped and started again on the same port to
 * simulate an outage.
 */
public final class GitDaemon implements AutoCloseable {
    private final Path base;
    private final int port;
    private Process process;

    public GitDaemon(Path base) throws IOException {
        this.base = base;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
    }

    public String url(String repo) {
        return "git://127.0.0.1:" + port + "/" + repo;
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public GitDaemon start() throws IOException, InterruptedException {
        SystemTests.requireCommand("git");
        process = new ProcessBuilder("git", "daemon", "--export-all", "--reuseaddr", "--base-path=" + base,
                "--listen=127.0.0.1", "--port=" + port, "--enable=receive-pack", "--informative-errors", base.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            SystemTests.Result r = SystemTests.run(List.of("git", "ls-remote", "git://127.0.0.1:" + port + "/"),
                    Map.of(), null, Duration.ofSeconds(10));
            // an empty path is refused by the daemon, but an answer means it listens
            if (r.exitCode() == 0 || r.all().contains("remote error") || r.all().contains("access denied")
                    || r.all().contains("no such repository")) {
                return this;
            }
            if (!process.isAlive()) throw new AssertionError("git daemon exited " + process.exitValue());
            Thread.sleep(50);
        }
        throw new AssertionError("git daemon did not start on port " + port);
    }

    public void stop() throws InterruptedException {
        if (process == null) return;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
