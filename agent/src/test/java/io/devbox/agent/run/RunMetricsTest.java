package io.devbox.agent.run;

import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.source.Snapshot;
import io.devbox.agent.testing.Exposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics of runs, in a real state directory, as a session updates them (through its recorder). */
class RunMetricsTest {
    @TempDir
    Path state;

    private RunRecorder recorder() {
        return recorder(AgentMetrics.unread(state, null)); // as a session holds them: re-read before each update
    }

    private RunRecorder recorder(AgentMetrics metrics) {
        Host host = new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), state,
                new Facts("dev-1", "boot", false, false, "dev", "/home/dev", true), null);
        return new RunRecorder(host, List.of(new RunMetrics(state, () -> metrics)), Clock.systemUTC());
    }

    private static Session.Loaded loaded() {
        return new Session.Loaded(new Snapshot("repo", null, "0123456789abcdef", List.of(), RepoFiles.NONE),
                new ComposedSpec(Map.of(), List.of(), RepoFiles.NONE), "digest");
    }

    private Map<String, Double> exposition() throws IOException {
        return Exposition.parse(Files.readString(state.resolve("metrics.prom")));
    }

    /** What another process counted before this run (under the same lock, as every writer of the metrics). */
    private void countedElsewhere() {
        AgentMetrics other = AgentMetrics.load(state, null);
        other.reportPushed(true);
        try {
            other.write();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRunCountsOnceOnTopOfWhatOthersCountedBeforeItStarted() throws IOException {
        countedElsewhere();
        RunRecorder recorder = recorder();
        recorder.finished("plan", Instant.now(), loaded(), List.of(), List.of(), false, 0, List.of());

        assertThat(exposition()).containsEntry("devbox_agent_runs_total{command=\"plan\",result=\"success\"}", 1.0)
                .containsEntry("devbox_agent_report_push_total{result=\"success\"}", 1.0);
    }

    @Test
    void anAbortedRunCountsAsAFailure() throws IOException {
        countedElsewhere();
        RunRecorder recorder = recorder();
        recorder.aborted("apply", Instant.now(), new IOException("cannot read the profiles"));

        assertThat(exposition()).containsEntry("devbox_agent_runs_total{command=\"apply\",result=\"failure\"}", 1.0)
                .containsEntry("devbox_agent_report_push_total{result=\"success\"}", 1.0)
                .doesNotContainKey("devbox_agent_runs_total{command=\"apply\",result=\"success\"}");
    }

    @Test
    void twoRunsOfOneSessionCountTwo() throws IOException {
        AgentMetrics sessions = AgentMetrics.unread(state, null);
        for (int i = 0; i < 2; i++) {
            countedElsewhere(); // between the runs, e.g. a report push
            RunRecorder recorder = recorder(sessions);
            recorder.finished("watch", Instant.now(), loaded(), List.of(), List.of(), true, 0, List.of());
        }
        assertThat(exposition()).containsEntry("devbox_agent_runs_total{command=\"watch\",result=\"success\"}", 2.0)
                .containsEntry("devbox_agent_report_push_total{result=\"success\"}", 2.0);
    }
}
