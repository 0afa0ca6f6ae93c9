package io.devbox.agent.enrol;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BootCommandTest {
    private final BootCommand boot = new BootCommand("/usr/lib/devbox-agent/wsl-start");

    @Test
    void theStartGoesFirstAndTheUsersCommandStaysAsWritten() {
        assertThat(boot.with(null)).isEqualTo("/usr/lib/devbox-agent/wsl-start");
        assertThat(boot.with("  ")).isEqualTo("/usr/lib/devbox-agent/wsl-start");
        assertThat(boot.with("service cron start")).isEqualTo("/usr/lib/devbox-agent/wsl-start; service cron start");
        assertThat(boot.with("a;b && c")).isEqualTo("/usr/lib/devbox-agent/wsl-start; a;b && c");
    }

    @Test
    void addingTwiceChangesNothingWhereverTheStartIs() {
        for (String c : new String[]{"/usr/lib/devbox-agent/wsl-start", "/usr/lib/devbox-agent/wsl-start; x",
                "sysctl --system; /usr/lib/devbox-agent/wsl-start", "a; /usr/lib/devbox-agent/wsl-start; b"}) {
            assertThat(boot.in(c)).as(c).isTrue();
            assertThat(boot.with(c)).as(c).isEqualTo(c);
        }
    }

    @Test
    void anotherScriptOfTheSamePrefixIsNotTheStart() {
        assertThat(boot.in("/usr/lib/devbox-agent/wsl-start2")).isFalse();
        assertThat(boot.in("echo /usr/lib/devbox-agent/wsl-start")).isFalse();
        assertThat(boot.in("/usr/lib/devbox-agent/wsl-start --root /x")).isFalse();
    }

    @Test
    void removingGivesTheOtherCommandBackExactly() {
        assertThat(boot.without("/usr/lib/devbox-agent/wsl-start")).isEmpty();
        assertThat(boot.without(boot.with("service cron start"))).contains("service cron start");
        assertThat(boot.without(boot.with("a;b && c"))).contains("a;b && c");
        assertThat(boot.without("sysctl --system; /usr/lib/devbox-agent/wsl-start")).contains("sysctl --system");
        assertThat(boot.without("a; /usr/lib/devbox-agent/wsl-start; b")).contains("a; b");
        assertThat(boot.without("service cron start")).isEqualTo(Optional.of("service cron start"));
    }
}
