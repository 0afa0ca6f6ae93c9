// Fetch cost when nothing changed: N sequential fetches of the cache clone through a counting loopback proxy in
// front of a git daemon. Run: java -cp agent/target/devbox-agent.jar bench/NoopFetch.java DAEMON_PORT REPO N STATE_DIR
import io.devbox.agent.source.CacheClone;
import org.eclipse.jgit.transport.CredentialsProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

public class NoopFetch {
    static final AtomicLong up = new AtomicLong(), down = new AtomicLong();

    public static void main(String[] a) throws Exception {
        int daemon = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[2]);
        ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket c = proxy.accept();
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), daemon);
                    pipe(c.getInputStream(), s.getOutputStream(), up, s);
                    pipe(s.getInputStream(), c.getOutputStream(), down, c);
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        String url = "git://127.0.0.1:" + proxy.getLocalPort() + "/" + a[1];
        Path dir = Path.of(a[3]).resolve("cache");
        try (CacheClone c = CacheClone.open(dir, url)) {
            c.fetch(null, CredentialsProvider.getDefault(), Duration.ofSeconds(30));
        }
        long u0 = up.get(), d0 = down.get();
        long t0 = System.nanoTime();
        long[] each = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            try (CacheClone c = CacheClone.open(dir, url)) {
                c.fetch(null, CredentialsProvider.getDefault(), Duration.ofSeconds(30));
            }
            each[i] = System.nanoTime() - s;
        }
        long total = System.nanoTime() - t0;
        java.util.Arrays.sort(each);
        Thread.sleep(200);
        System.out.printf("%d no-op fetches (open + verify cache + fetch): mean %.1f ms, p50 %.1f ms, p99 %.1f ms; per fetch %d bytes sent, %d bytes received%n",
                n, total / 1e6 / n, each[n / 2] / 1e6, each[(int) (n * 0.99) - 1] / 1e6, (up.get() - u0) / n, (down.get() - d0) / n);
        proxy.close();
    }

    static void pipe(InputStream in, OutputStream out, AtomicLong count, Socket close) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[8192];
            try (in; out) {
                int r;
                while ((r = in.read(b)) > 0) {
                    count.addAndGet(r);
                    out.write(b, 0, r);
                    out.flush();
                }
            } catch (Exception e) {
                // connection closed
            } finally {
                try { close.shutdownOutput(); } catch (Exception ignored) { }
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
