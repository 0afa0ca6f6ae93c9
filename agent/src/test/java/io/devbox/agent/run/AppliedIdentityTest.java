package io.devbox.agent.run;

import io.devbox.agent.profile.HostIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppliedIdentityTest {
    @TempDir
    Path state;

    @Test
    void remembersTheBoxAsAppliedAndSaysWhatChanged() throws Exception {
        assertThat(AppliedIdentity.read(state)).isEmpty();
        AppliedIdentity was = new AppliedIdentity("dev-42", Map.of("team", "backend", "ci", "runner", "site", "ber"));
        was.write(state, Instant.parse("2026-11-29T10:00:00.5Z"));
        AppliedIdentity read = AppliedIdentity.read(state).orElseThrow();
        assertThat(read).isEqualTo(was);
        assertThat(read.changeTo(was)).isEmpty();
        assertThat(read.changeTo(new AppliedIdentity("dev-42", Map.of("team", "backend", "site", "ber"))))
                .contains("labels changed: ci=runner missing");
        assertThat(read.changeTo(new AppliedIdentity("dev-43", Map.of("team", "db", "ci", "runner", "site", "ber", "gpu", "yes"))))
                .contains("hostname changed: dev-42 -> dev-43; labels changed: gpu=yes added, team: backend -> db");
        assertThat(read.asHost(new HostIdentity("other", Map.of(), "alice", "/home/alice")))
                .isEqualTo(new HostIdentity("dev-42", was.labels(), "alice", "/home/alice"));
    }
}
