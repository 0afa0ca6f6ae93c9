package io.devbox.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs as argument lists (never through a shell), with a timeout, capturing their output; as the agent, or
 * ({@link #runAs}) as another account of the machine.
 */
public class Commands {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** What a program run as another account inherits of the agent's environment: nothing that could hold a secret. */
    private static final List<String> PASSED_TO_USERS = List.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ");

    public CommandResult run(List<String> argv) throws IOException {
        return run(argv, Map.of(), null, DEFAULT_TIMEOUT);
    }

    public CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout)
            throws IOException {
        return run(argv, extraEnv, workDir, timeout, null);
    }

    /** As {@link #run(List, Map, Path, Duration)}, feeding {@code stdin} (null: /dev/null) to the program. */
    public CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout, byte[] stdin)
            throws IOException {
        return start(argv, extraEnv, false, workDir, timeout, stdin);
    }

    private CommandResult start(List<String> argv, Map<String, String> env, boolean exactly, Path workDir, Duration timeout,
                                byte[] stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (exactly) pb.environment().clear();
        pb.environment().putAll(env);
        if (workDir != null) pb.directory(workDir.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the program may exit without reading its input; its exit code tells
            }
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new CommandResult(List.copyOf(argv), -1, out.getNow(""), err.getNow(""));
            }
            return new CommandResult(List.copyOf(argv), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
    }

    /**
     * Runs {@code argv} as {@code who} when that is another account than the agent's own ({@code setpriv --reuid --regid
     * --init-groups --no-new-privs}): the kernel then decides what the program may read, write and execute, as it does
     * for that user's own programs. The program gets a clean environment: {@code PATH}, locale and time zone of the
     * agent, {@code HOME}, {@code USER} and {@code LOGNAME} of the account, and {@code extraEnv}; nothing else of root's
     * environment (which may hold secrets) reaches a process the user can inspect.
     */
    public CommandResult runAs(Account who, List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout)
            throws IOException {
        if (who.uid() == selfUid()) return run(argv, extraEnv, workDir, timeout);
        List<String> wrapped = new java.util.ArrayList<>(who.setpriv());
        wrapped.addAll(argv);
        Map<String, String> env = new java.util.HashMap<>();
        for (String k : PASSED_TO_USERS) {
            String v = System.getenv(k);
            if (v != null) env.put(k, v);
        }
        env.put("HOME", who.home() != null ? who.home() : "/");
        if (who.name() != null) {
            env.put("USER", who.name());
            env.put("LOGNAME", who.name());
        }
        env.putAll(extraEnv);
        CommandResult r = runWithEnvironment(wrapped, env, workDir, timeout);
        return new CommandResult(List.copyOf(argv), r.exitCode(), r.stdout(), r.stderr());
    }

    /**
     * Runs {@code argv} as the agent with a clean environment: {@code PATH}, locale and time zone of the agent, and
     * {@code extraEnv}; nothing else of the agent's environment. For programs whose work root's own shell settings must
     * not change (a {@code GOFLAGS}, {@code GOROOT} or {@code CC} exported where the agent was started).
     */
    public CommandResult runIsolated(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout)
            throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        for (String k : PASSED_TO_USERS) {
            String v = System.getenv(k);
            if (v != null) env.put(k, v);
        }
        env.putAll(extraEnv);
        return runWithEnvironment(argv, env, workDir, timeout);
    }

    /** The agent's effective uid (the owner of its /proc/self). */
    public int selfUid() throws IOException {
        return (Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** Runs with exactly {@code env} as the environment. */
    protected CommandResult runWithEnvironment(List<String> argv, Map<String, String> env, Path workDir, Duration timeout)
            throws IOException {
        return start(argv, env, true, workDir, timeout, null);
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
