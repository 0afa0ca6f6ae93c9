package io.devbox.agent.enrol;

import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoopTest {
    @TempDir
    Path root;

    private Loop detect(boolean wsl, boolean systemd) {
        return Loop.detect(Sandboxes.host(root, wsl, systemd), new Installation(Path.of("/usr/bin/devbox-agent")),
                root.resolve("etc/devbox-agent/agent.yaml"), root.resolve("var/lib/devbox-agent"), new WslEnvironment(Map.of()));
    }

    @Test
    void aSandboxNeverReachesTheMachinesSystemd() {
        assertThat(detect(false, true)).isInstanceOf(ManualLoop.class);
        assertThat(detect(true, false)).isInstanceOf(WslBootLoop.class);
        assertThat(detect(true, true)).as("WSL with systemd, sandboxed").isInstanceOf(ManualLoop.class);
        assertThat(detect(false, false)).isInstanceOf(ManualLoop.class);
    }

    @Test
    void theBootCommandAndTheManualCommandNameTheSandbox() {
        WslBootLoop wsl = (WslBootLoop) detect(true, false);
        assertThat(wsl.bootCommand()).isEqualTo("/usr/lib/devbox-agent/wsl-start --root " + root);
        ManualLoop manual = (ManualLoop) detect(false, false);
        assertThat(manual.instructions()).endsWith("\n  /usr/bin/devbox-agent watch --config " + root.resolve("etc/devbox-agent/agent.yaml")
                + " --root " + root);
    }

    @Test
    void commandLinesAreQuotedForSh() {
        assertThat(Loop.shell(List.of("/opt/my dir/agent", "it's", "plain-1.0"))).isEqualTo("'/opt/my dir/agent' 'it'\\''s' plain-1.0");
    }
}
