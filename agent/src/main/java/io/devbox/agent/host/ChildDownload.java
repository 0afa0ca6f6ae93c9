package io.devbox.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The http(s) transfers of {@link Downloader#standard(Downloader.Limits)}, run in a child JVM ({@code java -cp <this
 * classpath> io.devbox.agent.host.ChildDownload fetch URL DIR MAX DEADLINE_MS WINDOW_MS MIN_BYTES}) under the same
 * {@link Downloader.Limits}. Once a JVM has spoken HTTPS it keeps the HTTP client's and
 * TLS's classes, their metadata and the JIT's code for them for good (about 10 MB): a one-off command does not care,
 * but the watch daemon would carry them for weeks after one Go download. In a child they go with the child. The
 * child hashes while it streams into a temp file of the given directory, exactly as {@link Downloader} does in
 * process, and answers on one line; it exits when this process goes away (its stdin closes), so a killed agent
 * leaves no download running. Costs a JVM start (≈ 0.2 s) per download.
 */
public final class ChildDownload {
    /** Beyond the transfer's deadline, what the child may take to start and to answer before it is killed. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final boolean progress;
    private final Downloader.Limits limits;

    /**
     * @param progress let the child draw its progress bar on this process's stderr
     * @param limits   the child enforces them itself; this side kills it only past the deadline and a grace period
     */
    ChildDownload(boolean progress, Downloader.Limits limits) {
        this.progress = progress;
        this.limits = limits;
    }

    Downloader.Fetched fetch(String source, Path tempDir, long maxBytes) throws IOException {
        Files.createDirectories(tempDir);
        String answer = run(List.of("fetch", source, tempDir.toAbsolutePath().toString(), Long.toString(maxBytes),
                Long.toString(limits.deadline().toMillis()), Long.toString(limits.window().toMillis()),
                Long.toString(limits.minBytesPerWindow())));
        String[] f = answer.split("\t");
        if (f.length < 4 || !f[0].equals("ok") || !Downloader.isSha256(f[f.length - 2])) {
            throw new IOException(f.length >= 2 && f[0].equals("error") ? answer.substring(6)
                    : "the download of " + source + " ended without a result", null);
        }
        String file = String.join("\t", java.util.Arrays.copyOfRange(f, 1, f.length - 2));
        return new Downloader.Fetched(Path.of(file), f[f.length - 2], Long.parseLong(f[f.length - 1]));
    }

    byte[] read(String source, long maxBytes) throws IOException {
        Path dir = Files.createTempDirectory(AtomicFiles.TEMP_PREFIX + "read-");
        try {
            return Files.readAllBytes(fetch(source, dir, maxBytes).file());
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private String run(List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
                "-cp", System.getProperty("java.class.path"), ChildDownload.class.getName()));
        if (progress) argv.add("--progress");
        argv.addAll(args);
        Process p = new ProcessBuilder(argv)
                .redirectError(progress ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD).start();
        // stdin stays open while this process lives: the child stops when it closes
        try (OutputStream keepAlive = p.getOutputStream(); InputStream out = p.getInputStream()) {
            byte[] answer = out.readNBytes(64 * 1024);
            Duration bound = limits.deadline().plus(GRACE);
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("the download " + args.get(1) + " took longer than " + bound.toSeconds() + " s", null);
            }
            return new String(answer, StandardCharsets.UTF_8).strip();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + args.get(1), e);
        }
    }

    /**
     * The child: {@code [--progress] fetch URL DIR MAX_BYTES DEADLINE_MS WINDOW_MS MIN_BYTES}; prints
     * {@code ok FILE SHA256 SIZE} or {@code error MESSAGE}.
     */
    public static void main(String[] a) {
        Thread parentGone = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; EOF means the parent is gone
                }
            } catch (IOException ignored) {
                // the same
            }
            Runtime.getRuntime().halt(3);
        });
        parentGone.setDaemon(true);
        parentGone.start();
        int i = 0;
        boolean progress = a.length > 0 && a[0].equals("--progress");
        if (progress) i++;
        if (a.length != i + 7 || !a[i].equals("fetch")) {
            System.out.println("error\tusage: ChildDownload [--progress] fetch URL DIR MAX_BYTES DEADLINE_MS WINDOW_MS MIN_BYTES");
            System.exit(2);
        }
        try {
            Downloader.Limits limits = new Downloader.Limits(Duration.ofMillis(Long.parseLong(a[i + 4])),
                    Duration.ofMillis(Long.parseLong(a[i + 5])), Long.parseLong(a[i + 6]));
            Downloader.Fetched f = Downloader.inThisProcess(progress, limits)
                    .fetch(a[i + 1], Path.of(a[i + 2]), Long.parseLong(a[i + 3]));
            System.out.println("ok\t" + f.file() + "\t" + f.sha256() + "\t" + f.size());
            System.out.flush();
            System.exit(0);
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            System.out.println("error\t" + m.replace('\n', ' ').replace('\r', ' '));
            System.out.flush();
            System.exit(1);
        }
    }
}
