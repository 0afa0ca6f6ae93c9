package io.devbox.agent.kinds.cgroup;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversionsTest {

    @Test
    void sizesUseBinarySuffixes() {
        assertThat(Conversions.parseSize("8G")).contains(8L << 30);
        assertThat(Conversions.parseSize("512M")).contains(512L << 20);
        assertThat(Conversions.parseSize("4k")).contains(4096L);
        assertThat(Conversions.parseSize("1T")).contains(1L << 40);
        assertThat(Conversions.parseSize("12345")).contains(12345L);
        assertThat(Conversions.parseSize("max")).contains(Wanted.MAX);
        assertThat(Conversions.parseSize("8GB")).isEmpty();
        assertThat(Conversions.parseSize("-1")).isEmpty();
        assertThat(Conversions.parseSize("1.5G")).isEmpty();
        assertThat(Conversions.parseSize("99999999999T")).isEmpty();
    }

    @Test
    void cpuPercentIsQuotaPerHundredMillisecondPeriod() {
        assertThat(Conversions.parseCpuPercent("150%")).contains(150_000L);
        assertThat(Conversions.parseCpuPercent("12.5%")).contains(12_500L);
        assertThat(Conversions.parseCpuPercent("max")).contains(Wanted.MAX);
        assertThat(Conversions.parseCpuPercent("150")).isEmpty();
        assertThat(Conversions.cpuMax(150_000)).isEqualTo("150000 100000");
        assertThat(Conversions.cpuMax(Wanted.MAX)).isEqualTo("max 100000");
        assertThat(Conversions.cpuQuotaPercent(150_000)).isEqualTo("150%");
        assertThat(Conversions.cpuQuotaPercent(12_500)).isEqualTo("12.5%");
    }

    @Test
    void systemdWeightFormulas() {
        assertThat(Conversions.weightToShares(100)).isEqualTo(1024);
        assertThat(Conversions.weightToShares(200)).isEqualTo(2048);
        assertThat(Conversions.weightToShares(1)).isEqualTo(10);
        assertThat(Conversions.weightToShares(10_000)).isEqualTo(102_400);
        assertThat(Conversions.sharesToWeight(1024)).isEqualTo(100);
        assertThat(Conversions.sharesToWeight(2)).isEqualTo(1);
        assertThat(Conversions.sharesToWeight(262_144)).isEqualTo(10_000);
        assertThat(Conversions.ioWeightToBlkio(100)).isEqualTo(500);
        assertThat(Conversions.ioWeightToBlkio(1)).isEqualTo(10);
        assertThat(Conversions.ioWeightToBlkio(10_000)).isEqualTo(1000);
        assertThat(Conversions.blkioToIoWeight(500)).isEqualTo(100);
    }

    @Test
    void memoryIsComparedInWholePages() {
        assertThat(Conversions.pageFloor(1_000_000_001L, 4096)).isEqualTo(999_997_440L);
        assertThat(Conversions.pageFloor(8L << 30, 4096)).isEqualTo(8L << 30);
    }

    @Test
    void readValuesAreNormalized() {
        assertThat(Conversions.normalizeRead("memory.limit_in_bytes", "9223372036854771712\n")).isEqualTo("max");
        assertThat(Conversions.normalizeRead("memory.limit_in_bytes", "999997440\n")).isEqualTo("999997440");
        assertThat(Conversions.normalizeRead("cpu.cfs_quota_us", "-1\n")).isEqualTo("max");
        assertThat(Conversions.normalizeRead("cpu.max", "max 100000\n")).isEqualTo("max 100000");
        assertThat(Conversions.normalizeRead("io.weight", "default 150\n8:0 300\n")).isEqualTo("150");
        assertThat(Conversions.normalizeRead("pids.max", "max\n")).isEqualTo("max");
        assertThat(Conversions.toWrite("memory.limit_in_bytes", "max")).isEqualTo("-1");
        assertThat(Conversions.toWrite("cpu.cfs_quota_us", "max")).isEqualTo("-1");
        assertThat(Conversions.toWrite("io.weight", "150")).isEqualTo("default 150");
        assertThat(Conversions.toWrite("memory.max", "max")).isEqualTo("max");
    }
}
