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

/** Runs programs as argument lists (never through a shell), with a timeout, capturing their output. */
public class Commands {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

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
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(extraEnv);
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

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
