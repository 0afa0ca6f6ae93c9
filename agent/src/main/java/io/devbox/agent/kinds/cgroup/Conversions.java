package io.devbox.agent.kinds.cgroup;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of profile values and the v2 to v1 conversions systemd uses (src/basic/cgroup-util.h). Pure. */
public final class Conversions {
    public static final long CPU_PERIOD_US = 100_000;
    /** v1 reads "no limit" as PAGE_COUNTER_MAX pages (e.g. 9223372036854771712); anything this large is "max". */
    static final long V1_UNLIMITED_THRESHOLD = 1L << 62;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([KMGT])?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,7})(?:\\.([0-9]{1,3}))?%");

    private Conversions() {
    }

    /** "8G", "512M", "4096", "max" → bytes or {@link Wanted#MAX}; empty when not a size. */
    public static Optional<Long> parseSize(String text) {
        if (text == null) return Optional.empty();
        if (text.equals("max")) return Optional.of(Wanted.MAX);
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) return Optional.empty();
        try {
            long n = Long.parseLong(m.group(1));
            int shift = m.group(2) == null ? 0 : switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                default -> 40;
            };
            if (n > (Long.MAX_VALUE >> shift)) return Optional.empty();
            return Optional.of(n << shift);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "150%" → 150000 (µs per 100 ms period), "max" → {@link Wanted#MAX}; empty when not a percentage. */
    public static Optional<Long> parseCpuPercent(String text) {
        if (text == null) return Optional.empty();
        if (text.equals("max")) return Optional.of(Wanted.MAX);
        Matcher m = PERCENT.matcher(text);
        if (!m.matches()) return Optional.empty();
        BigDecimal pct = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
        return Optional.of(pct.multiply(BigDecimal.valueOf(CPU_PERIOD_US / 100)).longValue());
    }

    /** The kernel keeps memory limits in whole pages, rounding down: compare what it will hold. */
    public static long pageFloor(long bytes, long pageSize) {
        return bytes / pageSize * pageSize;
    }

    /** systemd's cgroup_cpu_weight_to_shares: clamp(weight·1024/100, 2, 262144). */
    public static long weightToShares(long weight) {
        return clamp(weight * 1024 / 100, 2, 262_144);
    }

    /** systemd's cgroup_cpu_shares_to_weight: clamp(shares·100/1024, 1, 10000). */
    public static long sharesToWeight(long shares) {
        return clamp(shares * 100 / 1024, 1, 10_000);
    }

    /** systemd's cgroup_weight_io_to_blkio: clamp(io·500/100, 10, 1000). */
    public static long ioWeightToBlkio(long ioWeight) {
        return clamp(ioWeight * 500 / 100, 10, 1000);
    }

    /** systemd's cgroup_weight_blkio_to_io: clamp(blkio·100/500, 1, 10000). */
    public static long blkioToIoWeight(long blkio) {
        return clamp(blkio * 100 / 500, 1, 10_000);
    }

    /** The v2 {@code cpu.max} text for a quota: "150000 100000" or "max 100000". */
    public static String cpuMax(long quotaUs) {
        return (quotaUs == Wanted.MAX ? "max" : Long.toString(quotaUs)) + " " + CPU_PERIOD_US;
    }

    /** systemd's CPUQuota= form: "150%" (quota per period as a percentage, at most 3 decimals). */
    public static String cpuQuotaPercent(long quotaUs) {
        return BigDecimal.valueOf(quotaUs).divide(BigDecimal.valueOf(CPU_PERIOD_US / 100)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    /**
     * Normalizes a value read from a cgroup file for comparison: whitespace collapsed, v1's huge "unlimited"
     * memory numbers and -1 quotas to "max", v2's {@code io.weight} "default N" to "N".
     */
    public static String normalizeRead(String file, String raw) {
        if (raw == null) return null;
        String s = raw.strip().replaceAll("\\s+", " ");
        switch (file) {
            case "memory.limit_in_bytes", "memory.memsw.limit_in_bytes" -> {
                try {
                    return Long.parseLong(s) >= V1_UNLIMITED_THRESHOLD ? "max" : s;
                } catch (NumberFormatException e) {
                    return s;
                }
            }
            case "cpu.cfs_quota_us" -> {
                return s.equals("-1") ? "max" : s;
            }
            case "io.weight" -> {
                for (String line : raw.strip().split("\n")) {
                    String[] p = line.strip().split("\\s+");
                    if (p.length == 2 && p[0].equals("default")) return p[1];
                }
                return s;
            }
            default -> {
                return s;
            }
        }
    }

    /** The text to write into a kernel file for a normalized desired value (the inverse of {@link #normalizeRead}). */
    public static String toWrite(String file, String normalized) {
        return switch (file) {
            case "memory.limit_in_bytes", "cpu.cfs_quota_us" -> normalized.equals("max") ? "-1" : normalized;
            case "io.weight" -> "default " + normalized;
            default -> normalized;
        };
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
