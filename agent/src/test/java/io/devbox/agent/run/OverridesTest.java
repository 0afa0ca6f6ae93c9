package io.devbox.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OverridesTest {
    @TempDir
    Path state;
    private final Instant now = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void activeUntilItExpires() throws Exception {
        Overrides o = new Overrides(state);
        o.set("sysctl[vm.swappiness]", Duration.ofHours(8), "profiling a leak", "alice", now);
        assertThat(o.active(now.plus(Duration.ofHours(7)))).singleElement().satisfies(e -> {
            assertThat(e.resource()).isEqualTo("sysctl[vm.swappiness]");
            assertThat(e.expiresAt()).isEqualTo(Instant.parse("2026-11-29T18:00:00Z"));
            assertThat(e.describe()).isEqualTo("override until 2026-11-29T18:00:00Z by alice: profiling a leak");
        });
        assertThat(Overrides.lookup(o.active(now)).apply("sysctl[vm.swappiness]")).isPresent();
        assertThat(Overrides.lookup(o.active(now)).apply("sysctl[other]")).isEmpty();
        assertThat(o.active(now.plus(Duration.ofHours(8)))).isEmpty();
    }

    @Test
    void replacingClearingAndDroppingExpired() throws Exception {
        Overrides o = new Overrides(state);
        o.set("sysctl[a]", Duration.ofMinutes(30), "one", "bob", now);
        o.set("unit[docker.service]", Duration.ofDays(2), "two", "bob", now);
        o.set("sysctl[a]", Duration.ofHours(2), "longer", "bob", now);
        assertThat(o.all()).extracting(Overrides.Entry::reason).containsExactly("longer", "two");
        assertThat(o.clear("sysctl[a]", now)).extracting(Overrides.Entry::resource).containsExactly("sysctl[a]");
        o.set("sysctl[b]", Duration.ofMinutes(1), "short", "bob", now);
        o.set("sysctl[c]", Duration.ofHours(1), "later", "bob", now.plus(Duration.ofMinutes(5)));
        assertThat(o.all()).extracting(Overrides.Entry::resource).as("expired entries are dropped on write")
                .containsExactly("sysctl[c]", "unit[docker.service]");
        assertThat(o.clear(null, now)).hasSize(2);
        assertThat(o.all()).isEmpty();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(o.file()))).isEqualTo("rw-------");
    }

    @Test
    void validatesResourceReasonAndDuration() {
        Overrides o = new Overrides(state);
        for (String bad : new String[]{"vm.swappiness", "sysctl[]", "Sysctl[x]", "sysctl[a]b", "sysctl[a\nb]", "[x]"}) {
            assertThat(Overrides.resourceProblem(bad)).as(bad).isPresent();
        }
        assertThat(Overrides.resourceProblem("hook[/home/dev/src/api:pre-commit]")).isEmpty();
        assertThat(Overrides.resourceProblem("wsl.conf[boot.systemd]")).isEmpty();
        assertThatThrownBy(() -> o.set("sysctl[a]", Duration.ofHours(1), " ", "x", now)).hasMessageContaining("--reason is required");
        assertThatThrownBy(() -> o.set("sysctl[a]", Duration.ZERO, "r", "x", now)).hasMessageContaining("longer than 0s");
        assertThatThrownBy(() -> o.set("sysctl[a]", Duration.ofDays(91), "r", "x", now)).hasMessageContaining("at most 90d");
        assertThatThrownBy(() -> o.set("nope", Duration.ofHours(1), "r", "x", now)).hasMessageContaining("not a resource id");
        assertThat(o.file()).doesNotExist();
    }

    @Test
    void aDamagedFileIsAClearError() throws Exception {
        Files.writeString(state.resolve("overrides.json"), "{not json");
        assertThatThrownBy(() -> new Overrides(state).all()).hasMessageContaining("is not valid JSON");
    }
}
