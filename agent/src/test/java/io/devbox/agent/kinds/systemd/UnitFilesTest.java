package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.testing.ReconcilerDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where systemd cannot be driven (not PID 1, or a sandbox --root), the unit files still converge, and only they. */
class UnitFilesTest {
    private static final Origin O = new Origin("profiles/p.yaml", 3, 5);

    @TempDir
    Path tmp;

    /** Records programs instead of running them: a sandbox must never reach this machine's systemctl. */
    static final class RecordingCommands extends Commands {
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public CommandResult run(List<String> argv, Map<String, String> env, Path dir, Duration timeout) {
            calls.add(argv);
            return new CommandResult(argv, 1, "", "not allowed in this test");
        }
    }

    private Host host(boolean systemdFact, RecordingCommands commands) {
        return new Host(tmp.resolve("root"), tmp.resolve("sys"), tmp.resolve("cg"), tmp.resolve("state"),
                new Facts("dev-1", "boot", false, systemdFact, "root", "/root", true), commands);
    }

    @Test
    void filesConvergeAndArePrunedWithoutTouchingSystemd() throws Exception {
        for (boolean systemdFact : List.of(false, true)) {
            RecordingCommands commands = new RecordingCommands();
            Host host = host(systemdFact, commands);
            var u = new UnitResource("app.service", O, "[Service]\nExecStart=/bin/true\n", Map.of("10-a.conf", "[Service]\nNice=5\n"),
                    UnitResource.Enablement.ENABLED, UnitResource.RunState.STARTED, true, List.of());
            var r = new UnitReconciler();
            List<Change> applied = ReconcilerDriver.apply(r, u, host);
            assertThat(applied).extracting(Change::field).containsExactly("content", "dropin:10-a.conf");
            assertThat(Files.readString(tmp.resolve("root/etc/systemd/system/app.service"))).isEqualTo(u.content());
            assertThat(Files.readString(tmp.resolve("root/etc/systemd/system/app.service.d/10-a.conf"))).isEqualTo("[Service]\nNice=5\n");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tmp.resolve("root/etc/systemd/system/app.service")))).isEqualTo("rw-r--r--");
            assertThat(ReconcilerDriver.plan(r, u, host)).isEmpty();
            assertThat(r.warnings(u, host)).singleElement().asString()
                    .endsWith(": the unit's files converge (persisted layer), its enablement and state are skipped");
            r.finish(host);

            Map<String, String> last = new LinkedHashMap<>();
            applied.forEach(c -> last.put(c.stateKey(), c.to()));
            var gone = r.removal(u.id(), last).orElseThrow();
            assertThat(ReconcilerDriver.apply(r, gone, host)).extracting(Change::field).containsExactly("content", "dropin:10-a.conf");
            assertThat(tmp.resolve("root/etc/systemd/system/app.service")).doesNotExist();
            assertThat(tmp.resolve("root/etc/systemd/system/app.service.d")).doesNotExist();
            r.finish(host);
            assertThat(commands.calls).as("systemd fact " + systemdFact).isEmpty();
        }
    }

    @Test
    void aUnitWithoutFilesIsSkippedWithTheReason() {
        Host host = host(false, new RecordingCommands());
        var u = new UnitResource("docker.service", O, null, Map.of(), UnitResource.Enablement.ENABLED,
                UnitResource.RunState.STARTED, true, List.of());
        assertThatThrownBy(() -> new UnitReconciler().probe(u, host)).isInstanceOf(ResourceSkipped.class)
                .hasMessageStartingWith("systemd is not PID 1 here (no " + tmp.resolve("root/run/systemd/system"));
    }
}
