package io.devbox.agent.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The test account really is unprivileged while it exists, and is gone afterwards. */
class UnixUserSystemTest {

    @Test
    void actsWithItsOwnUidAndIsRemoved(@TempDir Path root) throws Exception {
        String name;
        try (UnixUser user = UnixUser.create()) {
            name = user.name();
            Path home = user.sandboxHome(root);
            assertThat(Files.readString(root.resolve("etc/passwd"))).contains(name + ":x:" + user.uid() + ":");
            assertThat(user.run(List.of("id", "-u"), home, null, Duration.ofSeconds(10)).stdout().trim())
                    .isEqualTo(Integer.toString(user.uid()));
            SystemTests.Result own = user.run(List.of("touch", home.resolve("mine").toString()), home, null, Duration.ofSeconds(10));
            assertThat(own.exitCode()).isZero();
            Files.createDirectories(root.resolve("etc/rootonly"));
            SystemTests.Result denied = user.run(List.of("touch", root.resolve("etc/rootonly/x").toString()), home, null, Duration.ofSeconds(10));
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).contains("Permission denied");
        }
        assertThat(SystemTests.run(List.of("id", name), java.util.Map.of(), null, Duration.ofSeconds(10)).exitCode()).isNotZero();
    }
}
