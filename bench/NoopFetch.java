// Fetch cost when nothing changed: N sequential fetches of the cache clone through a counting loopback proxy in
// front of a git daemon. Run (the proxy is bench/CountingProxy.java):
//   javac -cp agent/target/devbox-agent.jar -d /tmp/bench bench/CountingProxy.java bench/NoopFetch.java
//   java -cp agent/target/devbox-agent.jar:/tmp/bench NoopFetch DAEMON_PORT REPO N STATE_DIR
// bench/fleet-scale.sh measures the same, and a report push, per connection with the server's CPU, at 100 to 10,000 hosts.
import io.devbox.agent.source.CacheClone;
import org.eclipse.jgit.transport.CredentialsProvider;

import java.nio.file.Path;
import java.time.Duration;

public class NoopFetch {
    public static void main(String[] a) throws Exception {
        int daemon = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[2]);
        try (CountingProxy proxy = CountingProxy.forwarding(daemon)) {
            String url = "git://127.0.0.1:" + proxy.port() + "/" + a[1];
            Path dir = Path.of(a[3]).resolve("cache");
            try (CacheClone c = CacheClone.open(dir, url)) {
                c.fetch(null, CredentialsProvider.getDefault(), Duration.ofSeconds(30));
            }
            long u0 = proxy.up.get(), d0 = proxy.down.get();
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
                    n, total / 1e6 / n, each[n / 2] / 1e6, each[Math.max(0, (int) (n * 0.99) - 1)] / 1e6,
                    (proxy.up.get() - u0) / n, (proxy.down.get() - d0) / n);
        }
    }
}
