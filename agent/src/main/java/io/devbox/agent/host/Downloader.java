package io.devbox.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fetches a file from {@code http(s)://}, {@code file://} or a plain absolute path into a temp file, hashing sha256
 * while streaming. Temp files carry {@link AtomicFiles#TEMP_PREFIX}, so that what a killed run left behind is found
 * and removed by {@link FileTrees#removeLeftovers}. A progress bar is drawn only when a progress stream is given (see
 * {@link #standard()}: only on a terminal).
 *
 * <p>Every transfer has an overall deadline and a minimum rate ({@link Limits}): a download runs under the agent's
 * locks, and a server that trickles a byte every few seconds would otherwise hold them for ever (an idle timeout
 * never fires while bytes keep coming).
 *
 * <p>Over 300 lines because its three sources (http(s), file://, a local path) share one transfer loop with the
 * deadline, the minimum rate and the streaming hash, which is clearer whole than split.
 */
public final class Downloader {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A completed download: the temp file (the caller moves or deletes it), its sha256 (lower-case hex), size. */
    public record Fetched(Path file, String sha256, long size) {
    }

    /** The content's sha256 is not the expected one; the downloaded file has already been deleted. */
    public static final class ChecksumMismatch extends IOException {
        private final String expected;
        private final String actual;

        public ChecksumMismatch(String source, String expected, String actual) {
            super("sha256 mismatch for " + source + ": expected " + expected + ", got " + actual, null);
            this.expected = expected;
            this.actual = actual;
        }

        public String expected() {
            return expected;
        }

        public String actual() {
            return actual;
        }
    }

    /**
     * How long a transfer may take: at most {@code deadline} in all (from the request to the last byte), and at least
     * {@code minBytesPerWindow} bytes in every {@code window} (the first window starts with the request, so a server
     * that never answers fails after one window too).
     */
    public record Limits(Duration deadline, Duration window, long minBytesPerWindow) {
        /** 30 minutes in all, at least 64 KiB a minute (about 1 KiB/s): a Go toolchain takes seconds on a real link. */
        public static final Limits DEFAULT = new Limits(Duration.ofMinutes(30), Duration.ofSeconds(60), 64 * 1024);

        public Limits {
            if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("download deadline must be positive");
            if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("download rate window must be positive");
            if (minBytesPerWindow < 1) throw new IllegalArgumentException("download minimum must be at least 1 byte per window");
        }

        /** Only an idle timeout: at least one byte every {@code idle}, and no overall deadline to speak of. */
        public static Limits idle(Duration idle) {
            return new Limits(Duration.ofDays(365), idle, 1);
        }
    }

    /** Made on first use: building an HttpClient loads TLS and starts threads, which a plan never needs. */
    private final java.util.function.Supplier<HttpClient> http;
    private HttpClient client;
    private final Limits limits;
    private final PrintStream progress;
    /** Where http(s) transfers run when not in this JVM (see {@link #standard()}); null: here. */
    private final ChildDownload child;

    /**
     * @param idleTimeout a transfer that delivers no byte for this long is aborted
     * @param progress    where to draw a progress bar, or null for none
     */
    public Downloader(HttpClient http, Duration idleTimeout, PrintStream progress) {
        this(() -> http, Limits.idle(idleTimeout), progress, null);
    }

    /** @param progress where to draw a progress bar, or null for none */
    public Downloader(HttpClient http, Limits limits, PrintStream progress) {
        this(() -> http, limits, progress, null);
    }

    private Downloader(java.util.function.Supplier<HttpClient> http, Limits limits, PrintStream progress,
                       ChildDownload child) {
        this.http = http;
        this.limits = limits;
        this.progress = progress;
        this.child = child;
    }

    /** {@link #standard(Limits)} with {@link Limits#DEFAULT}. */
    public static Downloader standard() {
        return standard(Limits.DEFAULT);
    }

    /**
     * Redirects followed (never https to http), 20 s to connect, a progress bar only on a terminal. http(s) transfers
     * run in a child JVM with the same limits: see {@link ChildDownload} (the watch daemon would keep HTTP and TLS
     * loaded for good).
     */
    public static Downloader standard(Limits limits) {
        boolean terminal = System.console() != null;
        return new Downloader(Downloader::standardClient, limits, terminal ? System.err : null, new ChildDownload(terminal, limits));
    }

    /** {@link #standard(Limits)} with every transfer in this JVM: what the child of {@link ChildDownload} runs. */
    static Downloader inThisProcess(boolean progress, Limits limits) {
        return new Downloader(Downloader::standardClient, limits, progress ? System.err : null, null);
    }

    /**
     * The client has its own TLS context: the JDK's default one (and the trust store it loads, ~3 MB of certificates)
     * would stay in the heap for good after its first download; this one goes with the client.
     */
    private static HttpClient standardClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .sslContext(freshTlsContext())
                .build();
    }

    public Limits limits() {
        return limits;
    }

    /** A TLS context with the JDK's default key and trust managers (the system trust store), not shared. */
    private static javax.net.ssl.SSLContext freshTlsContext() {
        try {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, null, null);
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) client = http.get();
        return client;
    }

    /** True for a well-formed sha256 in lower-case hex. */
    public static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    /** {@code base} (a URL, file:// URL or directory) joined with a file name, e.g. a mirror and a tarball name. */
    public static String child(String base, String name) {
        if (name.contains("/") || name.contains("?") || name.contains("#")) throw new IllegalArgumentException("not a file name: " + name);
        return base.endsWith("/") ? base + name : base + "/" + name;
    }

    /** Downloads {@code source} into a temp file in {@code tempDir}; fails when it is larger than {@code maxBytes}. */
    public Fetched fetch(String source, Path tempDir, long maxBytes) throws IOException {
        if (child != null && isHttp(source)) return child.fetch(source, tempDir, maxBytes);
        Files.createDirectories(tempDir);
        Path tmp = Files.createTempFile(tempDir, AtomicFiles.TEMP_PREFIX + "download-", ".part");
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MessageDigest sha = sha256();
            long size = transfer(source, maxBytes, (buf, n) -> {
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
            });
            done = true;
            return new Fetched(tmp, HexFormat.of().formatHex(sha.digest()), size);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /**
     * Downloads and checks the sha256. On a mismatch the file is deleted and {@link ChecksumMismatch} names the
     * expected and the actual sum.
     */
    public Fetched fetchVerified(String source, Path tempDir, long maxBytes, String expectedSha256) throws IOException {
        String expected = expectedSha256.toLowerCase(Locale.ROOT);
        if (!isSha256(expected)) throw new IllegalArgumentException("not a sha256: " + expectedSha256);
        Fetched f = fetch(source, tempDir, maxBytes);
        if (!f.sha256().equals(expected)) {
            Files.deleteIfExists(f.file());
            throw new ChecksumMismatch(source, expected, f.sha256());
        }
        return f;
    }

    /** Reads a small document (e.g. a JSON listing) into memory, at most {@code maxBytes}. */
    public byte[] read(String source, long maxBytes) throws IOException {
        if (child != null && isHttp(source)) return child.read(source, maxBytes);
        var buf = new java.io.ByteArrayOutputStream();
        transfer(source, maxBytes, (b, n) -> buf.write(b, 0, n));
        return buf.toByteArray();
    }

    @FunctionalInterface
    private interface Sink {
        void accept(byte[] buf, int n) throws IOException;
    }

    private static boolean isHttp(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    private long transfer(String source, long maxBytes, Sink sink) throws IOException {
        long start = System.nanoTime();
        if (isHttp(source)) return transferHttp(source, maxBytes, sink, start);
        Path file = localPath(source);
        long total;
        try {
            total = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException("not found: " + source, null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return copy(source, in, total, maxBytes, sink, start);
        }
    }

    private static Path localPath(String source) throws IOException {
        if (source.startsWith("file:")) {
            try {
                return Path.of(new URI(source));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IOException("not a usable file URL: " + source, null);
            }
        }
        if (source.startsWith("/")) return Path.of(source);
        throw new IOException("unsupported source (use http(s)://, file:// or an absolute path): " + source, null);
    }

    private long transferHttp(String source, long maxBytes, Sink sink, long start) throws IOException {
        HttpRequest request;
        // the response headers must come within one rate window (and the deadline)
        Duration headers = limits.window().compareTo(limits.deadline()) < 0 ? limits.window() : limits.deadline();
        try {
            request = HttpRequest.newBuilder(new URI(source)).timeout(headers).GET().build();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("not a usable URL: " + source, null);
        }
        HttpResponse<InputStream> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + source, e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("cannot download " + source + ": no response within " + headers.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new IOException("cannot download " + source + ": " + describe(e), e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("cannot download " + source + ": HTTP " + response.statusCode(), null);
            }
            long total = response.headers().firstValueAsLong("content-length").orElse(-1);
            return copy(source, in, total, maxBytes, sink, start);
        }
    }

    private long copy(String source, InputStream in, long total, long maxBytes, Sink sink, long start) throws IOException {
        if (total > maxBytes) throw new IOException(source + " is " + total + " bytes, more than the limit of " + maxBytes, null);
        ProgressBar bar = progress != null ? new ProgressBar(progress, source, total) : null;
        long size = 0;
        try (TransferWatch watch = new TransferWatch(source, limits, start, in)) {
            try {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    size += n;
                    watch.progressed(size);
                    if (size > maxBytes) throw new IOException(source + " exceeds the limit of " + maxBytes + " bytes", null);
                    sink.accept(buf, n);
                    if (bar != null) bar.update(size);
                }
            } catch (IOException e) {
                if (watch.verdict() != null) throw watch.failure(e);
                if (e.getMessage() != null && e.getMessage().startsWith(source)) throw e;
                throw new IOException("download of " + source + " failed after " + size + " bytes: " + describe(e), e);
            } finally {
                if (bar != null) bar.finish(size);
            }
            if (watch.verdict() != null) throw watch.failure(null);
        }
        if (total >= 0 && size != total) {
            throw new IOException("download of " + source + " is truncated: " + size + " of " + total + " bytes", null);
        }
        return size;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
