package io.devbox.agent.cli;

import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's sandbox example, run as it is written there: the README stays true. */
class ReadmeSandboxSystemTest {
    @TempDir
    Path tmp;

    @Test
    void theSandboxExampleOfTheReadmeWorks() throws Exception {
        Path checkout = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        SystemTests.agentJar();
        SystemTests.require(Files.exists(checkout.resolve(".git")), "the README example plans the committed profiles: needs a git checkout");
        String readme = Files.readString(checkout.resolve("README.md"));
        int start = readme.indexOf("```sh\n", readme.indexOf("<!-- sandbox-example"));
        int end = readme.indexOf("```\n<!-- end of sandbox-example -->");
        assertThat(start).as("the README has the example").isPositive();
        String script = readme.substring(start + "```sh\n".length(), end);
        // the example's temp directory inside this test's, so that the test removes it
        SystemTests.Result r = SystemTests.run(List.of("sh", "-eu", "-c", script), Map.of("TMPDIR", tmp.toString(),
                "XDG_STATE_HOME", tmp.resolve("xdg-state").toString()), checkout, Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("~ sysctl[vm.swappiness]", "Apply: 0 added, 7 changed, 0 removed, 0 unchanged, 0 failed.")
                .doesNotContain("  + sysctl[");
        List<String> tail = r.stdout().lines().toList();
        assertThat(tail).contains("10", "vm.swappiness = 10");
    }
}
