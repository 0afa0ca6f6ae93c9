package io.devbox.agent.report;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.AtomicFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One JSON run record per run under {@code <state>/runs}, newest last by name; old ones pruned by count and by age
 * (both limits apply) after every write.
 */
public final class RunRecords {
    public static final int KEEP = 500;

    /** How many records to keep, and for how long. */
    public record Retention(int keep, Duration maxAge) {
        public static final Retention DEFAULT = new Retention(KEEP, Duration.ofDays(30));

        public Retention {
            if (keep < 1) throw new IllegalArgumentException("keep at least one run record");
        }
    }

    private final Path dir;
    private final Retention retention;
    private final Clock clock;

    public RunRecords(Path dir) {
        this(dir, Retention.DEFAULT, Clock.systemUTC());
    }

    public RunRecords(Path dir, Retention retention, Clock clock) {
        this.dir = dir;
        this.retention = retention;
        this.clock = clock;
    }

    public Path write(RunInfo run) throws IOException {
        Path file = dir.resolve(run.id() + ".json");
        AtomicFiles.write(file, JsonReport.prettyBytes(JsonReport.document(run)), "rw-------");
        prune();
        return file;
    }

    /**
     * Record files, newest first: by the start second in their names, and within one second (two runs of a fast box)
     * by when they were written, since the rest of a name (command, a random suffix) says nothing of the order.
     */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (isId(idOf(p))) out.add(p);
            }
        }
        out.sort(NEWEST_NAME_FIRST);
        // only records of one second are asked when they were written (one stat each), not every record of every run
        for (int from = 0; from < out.size(); ) {
            int to = from + 1;
            while (to < out.size() && second(out.get(to)).equals(second(out.get(from)))) to++;
            if (to - from > 1) out.subList(from, to).sort(LAST_WRITTEN_FIRST);
            from = to;
        }
        return out;
    }

    // classes made with RunRecords, not lambdas: one only some runs reach (two records of one second) would miss the
    // AppCDS archive
    private static final java.util.Comparator<Path> NEWEST_NAME_FIRST = new java.util.Comparator<>() {
        @Override
        public int compare(Path a, Path b) {
            return b.getFileName().toString().compareTo(a.getFileName().toString());
        }
    };

    private static final java.util.Comparator<Path> LAST_WRITTEN_FIRST = new LastWrittenFirst();

    private static final class LastWrittenFirst implements java.util.Comparator<Path> {
        @Override
        public int compare(Path a, Path b) {
            return Long.compare(written(b), written(a));
        }
    }

    private static String second(Path record) {
        return record.getFileName().toString().substring(0, 16);
    }

    private static long written(Path p) {
        try {
            java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The record with this id (or a unique prefix of one), parsed; empty when there is none. */
    public Optional<JsonNode> read(String idOrPrefix) throws IOException {
        if (idOrPrefix.isEmpty() || idOrPrefix.contains("/") || idOrPrefix.contains("\0")) return Optional.empty();
        List<Path> matches = list().stream().filter(p -> idOf(p).equals(idOrPrefix)).toList();
        if (matches.isEmpty()) matches = list().stream().filter(p -> idOf(p).startsWith(idOrPrefix)).toList();
        if (matches.size() > 1) throw new IOException("run id prefix '" + idOrPrefix + "' is ambiguous ("
                + matches.size() + " runs); give more of it");
        if (matches.isEmpty()) return Optional.empty();
        return Optional.ofNullable(parse(matches.get(0)));
    }

    /** A record's JSON, or null when it vanished or cannot be read (a damaged record never hides the others). */
    public static JsonNode parse(Path file) throws IOException {
        try {
            return Json.read(AtomicFiles.readState(file));
        } catch (NoSuchFileException | JacksonException e) {
            return null;
        }
    }

    /**
     * Whether {@code s} has the form of a run id, {@code [0-9]{8}T[0-9]{6}Z-[A-Za-z0-9.-]+}. By hand, not a regex: every
     * run asks it of every record name (up to {@value #KEEP}), twice, and a regex runs interpreted in a short process.
     */
    static boolean isId(String s) {
        if (s.length() < 18 || s.charAt(8) != 'T' || s.charAt(15) != 'Z' || s.charAt(16) != '-') return false;
        for (int i = 0; i < 15; i++) {
            if (i != 8 && (s.charAt(i) < '0' || s.charAt(i) > '9')) return false;
        }
        for (int i = 17; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
            if (!allowed) return false;
        }
        return true;
    }

    public static String idOf(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    }

    /** Removes records beyond the count limit and those older than the age limit; returns how many. */
    public int prune() throws IOException {
        Instant cutoff = clock.instant().minus(retention.maxAge());
        String cutoffId = idTime(cutoff);
        if (nothingToPrune(cutoffId)) return 0;
        List<Path> all = new ArrayList<>(list());
        int removed = 0;
        for (int i = 0; i < all.size(); i++) {
            Path p = all.get(i);
            // list() holds only names of the id form, which begin with their start time and sort as they read
            if (i >= retention.keep() || idOf(p).substring(0, 16).compareTo(cutoffId) < 0) {
                if (Files.deleteIfExists(p)) removed++;
            }
        }
        return removed;
    }

    /**
     * True when the records are within the count and the oldest is younger than the cutoff: what nearly every write
     * finds, told from the names in one pass, without sorting them or asking when any was written (a box keeps up to
     * {@value #KEEP}).
     */
    private boolean nothingToPrune(String cutoffId) throws IOException {
        if (!Files.isDirectory(dir)) return true;
        int count = 0;
        String oldest = null;
        try (var names = Files.newDirectoryStream(dir)) {
            for (Path p : names) {
                String id = idOf(p);
                if (!isId(id)) continue;
                count++;
                if (oldest == null || id.compareTo(oldest) < 0) oldest = id;
            }
        }
        return count <= retention.keep() && (oldest == null || oldest.substring(0, 16).compareTo(cutoffId) >= 0);
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'} of an instant, as run ids begin (by hand: a DateTimeFormatter's first use was a
     * noticeable part of a short run).
     */
    public static String idTime(Instant t) {
        java.time.LocalDateTime u = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(16);
        pad(b, u.getYear(), 4);
        pad(b, u.getMonthValue(), 2);
        pad(b, u.getDayOfMonth(), 2);
        b.append('T');
        pad(b, u.getHour(), 2);
        pad(b, u.getMinute(), 2);
        pad(b, u.getSecond(), 2);
        return b.append('Z').toString();
    }

    private static void pad(StringBuilder b, int value, int width) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < width; i++) b.append('0');
        b.append(v);
    }
}
