package io.devbox.agent.host;

import java.io.PrintStream;

/** A one-line bar redrawn with a carriage return, at most ten times a second. */
final class ProgressBar {
    private final PrintStream out;
    private final String name;
    private final long total;
    private long lastDraw;

    ProgressBar(PrintStream out, String source, long total) {
        this.out = out;
        this.name = Printable.escape(source.substring(source.lastIndexOf('/') + 1));
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        draw(done);
    }

    void finish(long done) {
        draw(done);
        out.print("\n");
        out.flush();
    }

    private void draw(long done) {
        StringBuilder sb = new StringBuilder("\r").append(name).append(' ');
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, done * width / total);
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
                    .append(done * 100 / total).append("% ");
        }
        sb.append(done / (1024 * 1024)).append(" MiB");
        if (total > 0) sb.append(" of ").append(total / (1024 * 1024)).append(" MiB");
        out.print(sb);
        out.flush();
    }
}
