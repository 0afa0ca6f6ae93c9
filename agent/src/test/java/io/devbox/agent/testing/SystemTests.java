package io.devbox.agent.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shared support for system tests. A missing prerequisite (root, a package, namespaces) skips the test with its
 * reason, unless {@value #REQUIRE_ENV}=1 (set by .ci/run), where it fails instead: CI always runs them for real.
 */
public final class SystemTests {
    public static final String REQUIRE_ENV = "DEVBOX_REQUIRE_SYSTEM_TESTS";

    private SystemTests() {
    }

    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_ENV));
    }

    /** Skips (or fails, in CI) unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) return;
        if (required()) throw new AssertionError("system test prerequisite missing (" + REQUIRE_ENV + "=1): " + reason);
        Assumptions.abort(reason);
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "needs root");
    }

    public static void requireCommand(String command) {
        require(which(command), "needs the command " + command + " on PATH");
    }

    public static boolean which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    /** The shaded jar built by {@code mvn package} (system property set by failsafe). */
    public static Path agentJar() {
        String p = System.getProperty("agent.jar", "target/devbox-agent.jar");
        Path jar = Path.of(p).toAbsolutePath();
        require(Files.isRegularFile(jar), "the agent jar is not built: " + jar + " (run mvn verify)");
        return jar;
    }

    /** The Debian package built by {@code mvn package} (system property set by failsafe). */
    public static Path agentDeb() {
        String p = System.getProperty("agent.deb");
        require(p != null && Files.isRegularFile(Path.of(p)), "the Debian package is not built: " + p + " (run mvn verify)");
        return Path.of(p).toAbsolutePath();
    }

    /** The launcher of the checkout, {@code agent/bin/agent} (system property set by failsafe). */
    public static Path agentLauncher() {
        Path launcher = Path.of(System.getProperty("agent.launcher", "bin/agent")).toAbsolutePath();
        require(Files.isExecutable(launcher), "the launcher is missing: " + launcher);
        agentJar();
        return launcher;
    }

    /** {@code java -jar <agent jar>} with the current JVM, ready to append agent arguments. */
    public static List<String> agentCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        // the JVM's own warnings go to stdout by default, where a `[12.3s][warning]...` line breaks a command's JSON (most
        // likely what one of twenty concurrent pushes printed once: its JSON failed at the "s" after "[<number>"); the
        // launcher turns them off, the tests keep them, on stderr
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        cmd.add("-jar");
        cmd.add(agentJar().toString());
        return cmd;
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    /** Runs a command (argument list, no shell) and waits for it, at most {@code timeout}. */
    public static Result run(List<String> argv, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().putAll(env);
        if (workDir != null) pb.directory(workDir.toFile());
        Path out = Files.createTempFile("devbox-test-out", ".txt");
        Path err = Files.createTempFile("devbox-test-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError("timed out after " + timeout + ": " + argv + "\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a command and fails the test unless it exits 0. */
    public static String sh(List<String> argv) throws IOException, InterruptedException {
        Result r = run(argv, Map.of(), null, Duration.ofMinutes(2));
        if (r.exitCode() != 0) throw new AssertionError(argv + " exited " + r.exitCode() + ": " + r.all());
        return r.stdout();
    }
}
