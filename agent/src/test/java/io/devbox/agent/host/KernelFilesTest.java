package io.devbox.agent.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KernelFilesTest {
    @Test
    void readerReadsSmallEmptyAndLargeFilesWithOneBuffer(@TempDir Path dir) throws Exception {
        KernelFiles.Reader reader = new KernelFiles.Reader();
        Files.writeString(dir.resolve("small"), "4096\t131072\t6291456\n");
        Files.writeString(dir.resolve("empty"), "");
        String big = "é".repeat(5000) + "x".repeat(9000) + "\n"; // 19,001 bytes: the buffer grows twice
        Files.writeString(dir.resolve("big"), big);
        assertThat(reader.read(dir.resolve("small"))).isEqualTo("4096\t131072\t6291456\n");
        assertThat(reader.read(dir.resolve("big"))).isEqualTo(big);
        assertThat(reader.read(dir.resolve("empty"))).isEmpty();
        assertThat(reader.read(dir.resolve("small"))).isEqualTo("4096\t131072\t6291456\n");
    }

    @Test
    void readerReadsProcLikeTheOneShotRead() throws Exception {
        KernelFiles.Reader reader = new KernelFiles.Reader();
        for (String f : new String[]{"/proc/sys/kernel/ostype", "/proc/sys/net/ipv4/ip_local_port_range", "/proc/self/status"}) {
            Path p = Path.of(f);
            if (!Files.isReadable(p)) continue;
            String once = KernelFiles.read(p);
            assertThat(once).isNotEmpty();
            if (f.endsWith("status")) {
                assertThat(reader.read(p)).startsWith("Name:");
            } else {
                assertThat(reader.read(p)).isEqualTo(once);
            }
        }
    }
}
