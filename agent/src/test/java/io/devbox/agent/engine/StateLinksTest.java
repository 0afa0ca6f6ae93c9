package io.devbox.agent.engine;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.report.RunRecords;
import io.devbox.agent.run.Overrides;
import io.devbox.agent.source.SourceState;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A symlink where the agent keeps a lock or a state file is never followed: the file it points at is neither
 * truncated, written nor read (a link to a secret would otherwise end up in an error message or a record).
 */
class StateLinksTest {
    static final String SECRET = "root:$6$secret-hash:19000:0:99999:7:::\n";

    @TempDir
    Path tmp;
    Path state;
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        state = Files.createDirectories(tmp.resolve("state"));
        outside = Files.writeString(tmp.resolve("shadow"), SECRET);
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-------"));
    }

    private Path plant(String rel) throws IOException {
        Path link = state.resolve(rel);
        Files.createDirectories(link.getParent());
        return Files.createSymbolicLink(link, outside);
    }

    private void assertOutsideUntouched() throws IOException {
        assertThat(Files.readString(outside)).isEqualTo(SECRET);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside))).isEqualTo("rw-------");
    }

    @Test
    void locksRefuseALinkInsteadOfTruncatingItsTarget() throws IOException {
        for (String name : List.of("lock", "watch.lock", "run/devbox-agent.lock")) {
            Path link = plant(name);
            assertThatThrownBy(() -> RunLock.acquire(link, "apply", Duration.ZERO))
                    .isInstanceOf(IOException.class)
                    .hasMessage("refusing to follow the symbolic link " + link
                            + ": the agent opens its own files without following links (remove it)");
            assertOutsideUntouched();
        }
    }

    @Test
    void aLockMustBeARegularFile() throws Exception {
        Path fifo = state.resolve("lock");
        SystemTests.sh(List.of("mkfifo", fifo.toString()));
        assertThatThrownBy(() -> RunLock.acquire(fifo, "apply", Duration.ZERO)).hasMessageContaining("not a regular file");
    }

    @Test
    void stateFilesAreReadWithoutFollowingLinks() throws IOException {
        plant("applied.json");
        assertThatThrownBy(() -> new StateDir(state).loadApplied()).hasMessageContaining("refusing to follow the symbolic link")
                .hasMessageNotContaining("secret-hash");
        plant("overrides.json");
        assertThatThrownBy(() -> new Overrides(state).all()).hasMessageContaining("refusing to follow");
        plant("source.json");
        assertThatThrownBy(() -> SourceState.read(state)).hasMessageContaining("refusing to follow");
        Path record = plant("runs/20261129T100000Z-plan-abcd.json");
        assertThatThrownBy(() -> RunRecords.parse(record)).hasMessageContaining("refusing to follow");
        assertOutsideUntouched();
    }

    @Test
    void stateFilesAreWrittenBesideALinkNeverThroughIt() throws IOException {
        plant("applied.json");
        new StateDir(state).saveApplied(AppliedState.empty());
        assertThat(Files.isSymbolicLink(state.resolve("applied.json"))).isFalse();
        assertThat(Files.readString(state.resolve("applied.json"))).contains("\"resources\"");

        // a link's mode (0777) is never taken over by the file that replaces it
        Path conf = plant("metrics.prom");
        AtomicFiles.write(conf, "x\n".getBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf, LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-r--r--");

        plant("metrics.json");
        AgentMetrics m = AgentMetrics.load(state, null);
        m.reload();
        m.runAborted("plan", Duration.ofMillis(5), Instant.now());
        m.write();
        assertThat(Files.isSymbolicLink(state.resolve("metrics.json"))).isFalse();

        Path cfg = plant("other.conf");
        assertThat(AtomicFiles.writeIfChanged(cfg, SECRET.getBytes(), null)).as("a link always differs").isTrue();
        assertThat(Files.isSymbolicLink(cfg)).isFalse();
        assertOutsideUntouched();
    }

    @Test
    void nonRegularStateFilesAreRefusedWithoutBlocking() throws Exception {
        Path fifo = state.resolve("overrides.json");
        SystemTests.sh(List.of("mkfifo", fifo.toString()));
        assertThatThrownBy(() -> new Overrides(state).all()).hasMessageContaining("not a regular file");
    }

    @Test
    void oversizedStateFilesAreAnErrorNotAnOutOfMemory() throws IOException {
        Path big = state.resolve("applied.json");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{'{'}), AtomicFiles.MAX_STATE_BYTES + 10); // sparse
        }
        assertThatThrownBy(() -> new StateDir(state).loadApplied()).isInstanceOf(AtomicFiles.TooLarge.class)
                .hasMessageContaining(big + " is " + (AtomicFiles.MAX_STATE_BYTES + 11) + " bytes, more than the limit");
    }
}
