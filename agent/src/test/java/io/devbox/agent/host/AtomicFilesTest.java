package io.devbox.agent.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesWholeFilesWithTheModeAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("a/b/c.conf");
        AtomicFiles.write(f, "one\n".getBytes(), "rw-------");
        assertThat(Files.readString(f)).isEqualTo("one\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        AtomicFiles.write(f, "two\n".getBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as("mode kept").isEqualTo("rw-------");
        try (var s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("c.conf");
        }
    }

    @Test
    void theNextWriteIntoADirectoryRemovesWhatDeadWritersLeftButNotWhatLiveOnesAreWriting() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path dead = Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "p" + p.pid() + "-123.tmp"), "half");
        Path mine = AtomicFiles.createTemp(dir, ".tmp");
        Path legacyNew = Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "987.gitconfig"), "x");
        Path legacyOld = Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "654.tmp"), "x");
        Files.setLastModifiedTime(legacyOld, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path other = Files.writeString(dir.resolve("keep.txt"), "x");

        AtomicFiles.write(dir.resolve("target"), "t".getBytes());
        assertThat(dead).doesNotExist();
        assertThat(legacyOld).doesNotExist();
        assertThat(mine).as("this process may still be writing it").exists();
        assertThat(legacyNew).as("an unknown writer's fresh temp file").exists();
        assertThat(other).exists();
        assertThat(mine.getFileName().toString()).startsWith(AtomicFiles.TEMP_PREFIX + "p" + ProcessHandle.current().pid() + "-");
    }
}
