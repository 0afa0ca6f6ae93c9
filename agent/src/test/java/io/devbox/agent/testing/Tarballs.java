package io.devbox.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes ustar archives byte by byte, so that tests can make hostile ones (absolute names, '..', escaping links)
 * that well-behaved tar programs refuse to create. Real-world formats (GNU long names, pax) come from GNU tar.
 */
public final class Tarballs {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();
    private int uid;
    private int gid;

    /** The owner the following entries claim (0:0 until set): an extractor must not restore it. */
    public Tarballs owner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    public Tarballs dir(String name) {
        return dir(name, 0755);
    }

    public Tarballs dir(String name, int mode) {
        header(name.endsWith("/") ? name : name + "/", '5', mode, 0, "");
        return this;
    }

    public Tarballs file(String name, String content, int mode) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', mode, data.length, "");
        tar.writeBytes(data);
        pad(data.length);
        return this;
    }

    public Tarballs symlink(String name, String target) {
        header(name, '2', 0777, 0, target);
        return this;
    }

    public Tarballs hardlink(String name, String target) {
        header(name, '1', 0644, 0, target);
        return this;
    }

    public Tarballs fifo(String name) {
        header(name, '6', 0644, 0, "");
        return this;
    }

    /** A Go toolchain: go/VERSION and a go/bin/go script printing "go version go{V} linux/amd64". */
    public static Tarballs goToolchain(String version) {
        return goToolchain(version, 0, 0);
    }

    /** A stand-in Go toolchain whose entries claim owner {@code uid:gid}. */
    public static Tarballs goToolchain(String version, int uid, int gid) {
        return new Tarballs().owner(uid, gid).dir("go").dir("go/bin")
                .file("go/VERSION", "go" + version + "\ntime 2024-06-27T20:11:12Z\n", 0644)
                .file("go/bin/go", "#!/bin/sh\nif [ \"$1\" = version ]; then echo \"go version go" + version
                        + " linux/amd64\"; exit 0; fi\necho \"go: unknown command $1\" >&2; exit 2\n", 0755)
                .file("go/src/fmt/print.go", "package fmt\n", 0644);
    }

    /** The tar stream with its end marker (two zero blocks). */
    public byte[] tar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tar.toByteArray());
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    public byte[] tarGz() {
        return gzip(tar());
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private void header(String name, char type, int mode, long size, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(uid, 7));
        put(h, 116, 8, octal(gid, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(1719519072L, 11));
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar\0");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        tar.writeBytes(h);
    }

    private void pad(long size) {
        int r = (int) (size % 512);
        if (r != 0) tar.writeBytes(new byte[512 - r]);
    }

    private static String octal(long v, int digits) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > len) throw new IllegalArgumentException("too long for a ustar field: " + s);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
