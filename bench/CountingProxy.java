// A loopback TCP endpoint that counts the bytes of every connection each way, for the fleet benchmarks
// (NoopFetch.java, FleetScale.java). Two ways to serve a connection: forward it to a port (a running git daemon), or
// start a command per connection with the connection on its stdin/stdout (`git daemon --inetd`, wrapped so that the
// server's CPU time of that one connection, its children included, is written to a file).
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

public final class CountingProxy implements AutoCloseable {
    /** Bytes from the client to the server. */
    public final AtomicLong up = new AtomicLong();
    /** Bytes from the server to the client. */
    public final AtomicLong down = new AtomicLong();
    /** Server CPU seconds of finished per-connection commands. */
    private double cpu;
    private int connections;
    private int accepted;
    private final ServerSocket socket;

    private CountingProxy(ServerSocket socket) {
        this.socket = socket;
    }

    /** Forwards every connection to {@code port} on loopback. */
    public static CountingProxy forwarding(int port) throws IOException {
        CountingProxy p = new CountingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        p.serve(c -> {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            pipe(c.getInputStream(), s.getOutputStream(), p.up, s);
            pipe(s.getInputStream(), c.getOutputStream(), p.down, c);
        });
        return p;
    }

    /**
     * Serves every connection with a new process of {@code command}: it gets the connection as stdin and stdout and
     * must write its CPU seconds (children included) to the file named by the environment variable CPU_FILE.
     */
    public static CountingProxy spawning(List<String> command) throws IOException {
        CountingProxy p = new CountingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        p.serve(c -> {
            synchronized (p) {
                p.accepted++;
            }
            Path cpuFile = Files.createTempFile("devbox-bench-cpu", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("CPU_FILE", cpuFile.toString());
            Process proc = pb.start();
            Thread in = pipe(c.getInputStream(), proc.getOutputStream(), p.up, null);
            Thread out = pipe(proc.getInputStream(), c.getOutputStream(), p.down, null);
            Thread waiter = new Thread(() -> {
                try {
                    proc.waitFor();
                    out.join();
                    c.close();
                    in.join(5000);
                    String t = Files.readString(cpuFile).strip();
                    synchronized (p) {
                        p.cpu += t.isEmpty() ? 0 : Double.parseDouble(t);
                        p.connections++;
                        p.notifyAll();
                    }
                    Files.deleteIfExists(cpuFile);
                } catch (Exception e) {
                    // the benchmark reports what it could count
                }
            });
            waiter.setDaemon(true);
            waiter.start();
        });
        return p;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Server CPU seconds of the connections finished so far, and how many there were. */
    public synchronized double cpuSeconds() {
        return cpu;
    }

    /** Waits until every connection accepted so far has finished and its CPU is counted. */
    public synchronized void awaitIdle() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (connections < accepted && System.currentTimeMillis() < deadline) wait(100);
    }

    public synchronized int connections() {
        return connections;
    }

    private interface Handler {
        void handle(Socket client) throws IOException;
    }

    private void serve(Handler handler) {
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    handler.handle(socket.accept());
                } catch (IOException e) {
                    if (socket.isClosed()) return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static Thread pipe(InputStream in, OutputStream out, AtomicLong count, Socket closeWhenDone) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[8192];
            try (in; out) {
                int r;
                while ((r = in.read(b)) > 0) {
                    count.addAndGet(r);
                    out.write(b, 0, r);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                if (closeWhenDone != null) {
                    try {
                        closeWhenDone.shutdownOutput();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** For a table: bytes as B, KB or MB. */
    public static String bytes(double n) {
        if (n < 10_000) return String.format("%.0f B", n);
        if (n < 10_000_000) return String.format("%.1f KB", n / 1024);
        return String.format("%.1f MB", n / 1024 / 1024);
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
