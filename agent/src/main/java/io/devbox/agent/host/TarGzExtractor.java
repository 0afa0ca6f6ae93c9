package io.devbox.agent.host;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a {@code .tar.gz} (ustar, pax and GNU long names) safely: entries with absolute paths or {@code ..} are
 * refused, as are symlinks whose target leaves the extraction root, hard links to anything but a file extracted
 * before, device nodes, FIFOs and sparse files. Symlinks are created last, so that no entry is ever written
 * through one. A cap on the total size and on the number of entries stops archive bombs. Owners are not restored;
 * setuid, setgid and sticky bits are dropped. Everything lands in a fresh temp directory (named with
 * {@link AtomicFiles#TEMP_PREFIX}), which the caller renames into place: a crash never leaves a half-extracted tree
 * under the final name, and {@link FileTrees#removeLeftovers} finds the temp directory of a killed run.
 *
 * <p>Over 300 lines because it is one parser of hostile input: every header field and entry type is checked on one path
 * that must be read together.
 */
public final class TarGzExtractor {
    private static final int BLOCK = 512;
    private static final int MAX_META = 1 << 20;

    /** The archive is malformed, or would write outside its root, or exceeds a cap. Nothing of it is kept. */
    public static final class UnsafeArchive extends IOException {
        public UnsafeArchive(String message) {
            super(message, null);
        }
    }

    private final long maxBytes;
    private final int maxEntries;

    /**
     * @param maxBytes   cap on the sum of the sizes of all files
     * @param maxEntries cap on the number of entries
     */
    public TarGzExtractor(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /** Caps fit for toolchains and runner packages: 4 GiB, 500 000 entries. */
    public static TarGzExtractor standard() {
        return new TarGzExtractor(4L << 30, 500_000);
    }

    /**
     * Extracts {@code archive} into a new temp directory (mode 0755) in {@code parentDir} and returns it. The first
     * {@code stripComponents} path segments of every entry are removed (entries with no more segments are skipped),
     * like {@code tar --strip-components}. On failure nothing is left behind.
     */
    public Path extractToTemp(Path archive, Path parentDir, int stripComponents) throws IOException {
        Files.createDirectories(parentDir);
        Path dest = Files.createTempDirectory(parentDir, AtomicFiles.TEMP_PREFIX + "extract-");
        boolean done = false;
        try {
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                 InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                new Run(dest, stripComponents).extract(gz);
            } catch (EOFException e) {
                throw new UnsafeArchive("archive is truncated (" + archive.getFileName() + ")");
            } catch (java.util.zip.ZipException e) {
                throw new UnsafeArchive("archive is corrupt (" + archive.getFileName() + "): " + e.getMessage());
            }
            Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwxr-xr-x"));
            done = true;
            return dest;
        } finally {
            if (!done) FileTrees.deleteRecursively(dest);
        }
    }

    /** Extracts into a temp directory beside {@code target}, then renames it to {@code target} (which must not exist). */
    public void extractTo(Path archive, Path target, int stripComponents) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new FileAlreadyExistsException(target.toString());
        Path tmp = extractToTemp(archive, parent, stripComponents);
        try {
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(parent);
        } finally {
            FileTrees.deleteRecursively(tmp);
        }
    }

    private record Header(String name, char type, int mode, long size, long mtime, String linkName) {
    }

    private record PendingLink(List<String> path, String target) {
    }

    /** The state of one extraction. */
    private final class Run {
        private final Path dest;
        private final int strip;
        private final List<PendingLink> symlinks = new ArrayList<>();
        private final Map<Path, Header> dirs = new LinkedHashMap<>();
        private long total;
        private int entries;

        Run(Path dest, int strip) {
            this.dest = dest;
            this.strip = strip;
        }

        void extract(InputStream in) throws IOException {
            byte[] block = new byte[BLOCK];
            String longName = null;
            String longLink = null;
            Map<String, String> pax = Map.of();
            while (true) {
                if (!readBlock(in, block)) throw new UnsafeArchive("archive is truncated: it ends without the end-of-archive marker");
                if (allZero(block)) break;
                Header h = parseHeader(block);
                if (++entries > maxEntries) throw new UnsafeArchive("archive has more than " + maxEntries + " entries");
                switch (h.type()) {
                    case 'x' -> {
                        pax = parsePax(readMeta(in, h));
                        continue;
                    }
                    case 'g' -> {
                        readMeta(in, h);
                        continue;
                    }
                    case 'L' -> {
                        longName = cString(readMeta(in, h));
                        continue;
                    }
                    case 'K' -> {
                        longLink = cString(readMeta(in, h));
                        continue;
                    }
                    default -> {
                    }
                }
                String name = pax.getOrDefault("path", longName != null ? longName : h.name());
                String link = pax.getOrDefault("linkpath", longLink != null ? longLink : h.linkName());
                long size = h.size();
                if (pax.containsKey("size")) {
                    try {
                        size = Long.parseLong(pax.get("size"));
                    } catch (NumberFormatException e) {
                        throw new UnsafeArchive("bad pax size for " + name);
                    }
                }
                Header e = new Header(name, h.type(), h.mode(), size, h.mtime(), link);
                longName = null;
                longLink = null;
                pax = Map.of();
                entry(in, e);
            }
            // drain to the end, so that GZIPInputStream checks the trailer (CRC and length) of the whole stream
            byte[] sink = new byte[1 << 16];
            long trailing = 0;
            int n;
            while ((n = in.read(sink)) > 0) {
                trailing += n;
                if (trailing > maxBytes) throw new UnsafeArchive("archive has too much data after its end marker");
            }
            finish();
        }

        private void entry(InputStream in, Header h) throws IOException {
            List<String> segments = safeSegments(h.name(), "entry");
            List<String> path = segments.size() > strip ? segments.subList(strip, segments.size()) : List.of();
            char t = h.type();
            boolean regular = t == '0' || t == '\0' || t == '7';
            if (!regular && h.size() > 0 && t != '5') {
                // hard links, symlinks and directories carry no data in well-formed archives
                throw new UnsafeArchive("entry " + h.name() + " of type '" + t + "' carries data");
            }
            if (path.isEmpty()) {
                skip(in, h.size());
                return;
            }
            Path target = resolve(path);
            switch (t) {
                case '0', '\0', '7' -> writeFile(in, h, target);
                case '5' -> {
                    skip(in, h.size());
                    mkdirs(path);
                    dirs.put(target, h);
                }
                case '1' -> {
                    List<String> linkSegments = safeSegments(h.linkName(), "hard link target of " + h.name());
                    if (linkSegments.size() <= strip) throw new UnsafeArchive("hard link " + h.name() + " points outside the extracted tree");
                    Path existing = resolve(linkSegments.subList(strip, linkSegments.size()));
                    if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
                        throw new UnsafeArchive("hard link " + h.name() + " -> " + h.linkName() + " does not point at a file extracted before it");
                    }
                    mkdirs(path.subList(0, path.size() - 1));
                    removeFile(target, h.name());
                    Files.createLink(target, existing);
                }
                case '2' -> {
                    checkSymlink(path, h);
                    symlinks.add(new PendingLink(List.copyOf(path), h.linkName()));
                }
                default -> throw new UnsafeArchive("entry " + h.name() + " has unsupported type '" + t + "'"
                        + " (devices, FIFOs and sparse files are refused)");
            }
        }

        private void writeFile(InputStream in, Header h, Path target) throws IOException {
            total += h.size();
            if (total > maxBytes) throw new UnsafeArchive("archive expands to more than " + maxBytes + " bytes");
            Path rel = dest.relativize(target);
            mkdirs(segmentsOf(rel).subList(0, rel.getNameCount() - 1));
            removeFile(target, h.name());
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                copyExactly(in, out, h.size(), h.name());
            }
            skipPadding(in, h.size());
            Files.setPosixFilePermissions(target, permissions(h.mode()));
            if (h.mtime() > 0) Files.setLastModifiedTime(target, FileTime.fromMillis(h.mtime() * 1000));
        }

        /** A later entry of the same name replaces a file, like tar does; it never replaces a directory. */
        private void removeFile(Path target, String name) throws IOException {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) throw new UnsafeArchive("entry " + name + " would replace a directory");
            Files.deleteIfExists(target);
        }

        private void checkSymlink(List<String> path, Header h) throws UnsafeArchive {
            String link = h.linkName();
            if (link.isEmpty()) throw new UnsafeArchive("symlink " + h.name() + " has an empty target");
            if (link.startsWith("/")) throw new UnsafeArchive("symlink " + h.name() + " -> " + link + " is absolute");
            if (link.indexOf('\0') >= 0) throw new UnsafeArchive("symlink " + h.name() + " has a NUL in its target");
            // '..' only as leading segments: after a symlink component, '..' would climb from wherever that points
            int depth = path.size() - 1;
            boolean descended = false;
            for (String seg : link.split("/")) {
                if (seg.isEmpty() || seg.equals(".")) continue;
                if (seg.equals("..")) {
                    if (descended) throw new UnsafeArchive("symlink " + h.name() + " -> " + link + " has '..' after a name");
                    if (--depth < 0) throw new UnsafeArchive("symlink " + h.name() + " -> " + link + " escapes the extraction root");
                } else {
                    descended = true;
                }
            }
        }

        private void finish() throws IOException {
            for (PendingLink l : symlinks) {
                Path target = resolve(l.path());
                mkdirs(l.path().subList(0, l.path().size() - 1));
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw new UnsafeArchive("symlink " + String.join("/", l.path()) + " would replace a directory");
                    }
                    Files.delete(target);
                }
                Files.createSymbolicLink(target, Path.of(l.target()));
            }
            List<Map.Entry<Path, Header>> byDepth = new ArrayList<>(dirs.entrySet());
            byDepth.sort(Comparator.comparingInt((Map.Entry<Path, Header> e) -> e.getKey().getNameCount()).reversed());
            for (var e : byDepth) {
                if (!Files.isDirectory(e.getKey(), LinkOption.NOFOLLOW_LINKS)) continue;
                Files.setPosixFilePermissions(e.getKey(), permissions(e.getValue().mode() | 0700));
                if (e.getValue().mtime() > 0) Files.setLastModifiedTime(e.getKey(), FileTime.fromMillis(e.getValue().mtime() * 1000));
            }
        }

        /** Creates the directories of {@code path} below dest; refuses to pass through anything but a real directory. */
        private void mkdirs(List<String> path) throws IOException {
            Path p = dest;
            for (String seg : path) {
                p = p.resolve(seg);
                if (Files.isSymbolicLink(p)) throw new UnsafeArchive("entry path passes through a symlink: " + dest.relativize(p));
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(p);
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new UnsafeArchive("entry path passes through a file: " + dest.relativize(p));
                }
            }
        }

        private Path resolve(List<String> segments) throws UnsafeArchive {
            Path p = dest;
            for (String s : segments) p = p.resolve(s);
            p = p.normalize();
            if (!p.startsWith(dest) || p.equals(dest)) throw new UnsafeArchive("entry escapes the extraction root: " + String.join("/", segments));
            return p;
        }
    }

    private static List<String> segmentsOf(Path rel) {
        List<String> out = new ArrayList<>();
        for (Path p : rel) out.add(p.toString());
        return out;
    }

    /** The segments of an archive path; absolute paths and '..' are refused, '.' and empty segments dropped. */
    private static List<String> safeSegments(String name, String what) throws UnsafeArchive {
        if (name.isEmpty()) throw new UnsafeArchive(what + " has an empty name");
        if (name.startsWith("/")) throw new UnsafeArchive(what + " " + name + " is an absolute path");
        if (name.indexOf('\0') >= 0) throw new UnsafeArchive(what + " " + name + " contains a NUL");
        List<String> out = new ArrayList<>();
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) throw new UnsafeArchive(what + " " + name + " contains '..'");
            out.add(seg);
        }
        return out;
    }

    /**
     * The permissions of an extracted entry: the archive's mode without setuid/setgid/sticky and without group and
     * other write. Root runs what it extracts ({@code bin/go version}): a 0777 file in the archive would otherwise be
     * a binary any user on the box could replace.
     */
    private static Set<PosixFilePermission> permissions(int archived) {
        int mode = archived & 0755;
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) set.add(order[i]);
        }
        return set;
    }

    private static Header parseHeader(byte[] b) throws UnsafeArchive {
        long stored = parseNumber(b, 148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int v = (i >= 148 && i < 156) ? ' ' : b[i];
            unsigned += v & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : b[i];
        }
        if (stored != unsigned && stored != signed) throw new UnsafeArchive("archive has a corrupt header (checksum mismatch)");
        String name = cString(b, 0, 100);
        boolean posix = b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r' && b[262] == 0;
        if (posix) {
            String prefix = cString(b, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
        }
        int mode = (int) parseNumber(b, 100, 8, "mode");
        long size = parseNumber(b, 124, 12, "size");
        long mtime = parseNumber(b, 136, 12, "mtime");
        if (size < 0) throw new UnsafeArchive("entry " + name + " has a negative size");
        return new Header(name, (char) (b[156] & 0xff), mode, size, mtime, cString(b, 157, 100));
    }

    /** Octal (space or NUL terminated), or GNU base-256 when the high bit of the first byte is set. */
    private static long parseNumber(byte[] b, int off, int len, String field) throws UnsafeArchive {
        if ((b[off] & 0x80) != 0) {
            if ((b[off] & 0x40) != 0) throw new UnsafeArchive("archive has a negative " + field);
            long v = b[off] & 0x3f;
            for (int i = off + 1; i < off + len; i++) {
                if ((v >>> 55) != 0) throw new UnsafeArchive("archive has an oversized " + field);
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == 0)) i++;
        boolean any = false;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == ' ' || c == 0) break;
            if (c < '0' || c > '7') throw new UnsafeArchive("archive has a corrupt header (" + field + ")");
            if ((v >>> 60) != 0) throw new UnsafeArchive("archive has an oversized " + field);
            v = (v << 3) | (c - '0');
            any = true;
        }
        return any ? v : 0;
    }

    private static Map<String, String> parsePax(byte[] data) throws UnsafeArchive {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') sp++;
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new UnsafeArchive("archive has a corrupt pax header");
            }
            if (len <= 0 || i + len > data.length || data[i + len - 1] != '\n') throw new UnsafeArchive("archive has a corrupt pax header");
            String rec = new String(data, sp + 1, i + len - 1 - (sp + 1), StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq <= 0) throw new UnsafeArchive("archive has a corrupt pax record");
            out.put(rec.substring(0, eq), rec.substring(eq + 1));
            i += len;
        }
        return out;
    }

    private static byte[] readMeta(InputStream in, Header h) throws IOException {
        if (h.size() > MAX_META) throw new UnsafeArchive("archive has an oversized " + h.type() + " header");
        byte[] data = in.readNBytes((int) h.size());
        if (data.length != h.size()) throw new EOFException();
        skipPadding(in, h.size());
        return data;
    }

    private static void copyExactly(InputStream in, OutputStream out, long size, String name) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new UnsafeArchive("archive is truncated inside " + name);
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        long left = size + pad(size);
        byte[] buf = new byte[8192];
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new EOFException();
            left -= n;
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long p = pad(size);
        if (p > 0 && in.readNBytes((int) p).length != p) throw new EOFException();
    }

    private static long pad(long size) {
        long r = size % BLOCK;
        return r == 0 ? 0 : BLOCK - r;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) return false;
        if (n < BLOCK) throw new EOFException();
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        return cString(b, 0, b.length);
    }
}
