package io.devbox.agent.config;

import io.devbox.agent.run.GitOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitTrustOverlayTest {
    private static AgentConfig withVerify(AgentConfig.Verify v) {
        return new AgentConfig(null, null, null, null, null, null, null, v, Map.of(), null, null, null,
                AgentConfig.History.NONE, AgentConfig.Metrics.NONE);
    }

    private static GitOptions cli(boolean verify, Path signers) {
        return new GitOptions(verify, signers, null, false, Duration.ofSeconds(60));
    }

    @Test
    void theConfigSuppliesKeysAndTurnsVerificationOn() {
        GitOptions g = withVerify(new AgentConfig.Verify(null, Path.of("/etc/devbox-agent/allowed_signers"), null, true))
                .overlay(cli(false, null));
        assertThat(g.verifyCommits()).as("trusted keys mean verifying").isTrue();
        assertThat(g.allowedSigners()).isEqualTo(Path.of("/etc/devbox-agent/allowed_signers"));
        assertThat(g.requireFastForward()).isTrue();
    }

    @Test
    void theCommandLineWins() {
        GitOptions g = withVerify(new AgentConfig.Verify(true, Path.of("/a"), null, null)).overlay(cli(false, Path.of("/b")));
        assertThat(g.allowedSigners()).isEqualTo(Path.of("/b"));
        assertThat(g.verifyCommits()).isTrue();
    }

    @Test
    void nothingConfiguredVerifiesNothing() {
        GitOptions g = AgentConfig.NONE.overlay(cli(false, null));
        assertThat(g.verifyCommits()).isFalse();
        assertThat(g.requireFastForward()).isFalse();
    }
}
