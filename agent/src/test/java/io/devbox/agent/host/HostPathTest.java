package io.devbox.agent.host;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPathTest {
    private final Path root = Path.of("/tmp/box");
    private final Host host = new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), root.resolve("state"),
            new Facts("h", "b", false, false, "dev", "/home/dev", false), new Commands());

    @Test
    void boxPathsLandUnderTheRoot() {
        assertThat(host.path("/")).isEqualTo(root);
        assertThat(host.path("/etc/sysctl.d/90-devbox-agent.conf")).isEqualTo(root.resolve("etc/sysctl.d/90-devbox-agent.conf"));
        assertThat(host.path("/etc/")).isEqualTo(root.resolve("etc"));
        assertThat(host.path("/etc///")).isEqualTo(root.resolve("etc"));
    }

    @Test
    void unsafePathsAreRefused() {
        for (String bad : new String[]{"etc", "//etc", "//", "/etc/../x", "/etc//x", "/./etc", "/etc\n", ""}) {
            assertThatThrownBy(() -> host.path(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(SafePaths.absoluteProblem("/a/b//")).isEmpty();
        assertThat(SafePaths.absoluteProblem("/a//b")).isPresent();
    }
}
