package io.devbox.agent.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainExitTest {
    private static final String LAUNCHER = "/usr/bin/devbox-agent";

    @Test
    void startedByTheLauncherWithoutExtraJvmOptionsTheProcessHalts() {
        assertThat(Main.haltsAtExit(LAUNCHER, Map.of("PATH", "/usr/bin"))).isTrue();
        assertThat(Main.haltsAtExit(LAUNCHER, Map.of("DEVBOX_AGENT_JAVA_OPTS", "  "))).isTrue();
    }

    @Test
    void extraJvmOptionsFromAnyOfTheirVariablesKeepTheShutdownHooks() {
        for (String variable : Main.JVM_OPTION_VARIABLES) {
            assertThat(Main.haltsAtExit(LAUNCHER, Map.of(variable, "-javaagent:/opt/jacoco.jar"))).as(variable).isFalse();
        }
    }

    @Test
    void startedWithoutTheLauncherTheProcessExitsNormally() {
        assertThat(Main.haltsAtExit(null, Map.of())).isFalse();
    }
}
