package io.devbox.agent.metrics;

import com.codahale.metrics.MetricRegistry;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.testing.Exposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentMetricsTest {
    @TempDir
    Path state;

    private static ResourcePlan res(String id, Status s) {
        return new ResourcePlan(id, "sysctl", ResourcePlan.nameOf(id), s, List.of(), null, null, List.of(), null, List.of(), 1);
    }

    @Test
    void countersSurviveAProcessRestartAndGaugesFollowTheLastRun() throws Exception {
        Instant t1 = Instant.parse("2026-11-29T10:00:00.250Z");
        AgentMetrics m = AgentMetrics.load(state, null);
        m.runFinished("apply", true, Duration.ofMillis(1500), t1,
                List.of(res("sysctl[a]", Status.OK), res("sysctl[b]", Status.DRIFT), res("sysctl[c]", Status.DRIFT)), "abc123", true, 1);
        m.write();

        AgentMetrics again = AgentMetrics.load(state, null);
        again.sourceFetchError();
        again.runAborted("watch", Duration.ofMillis(500), t1.plusSeconds(60));
        again.runFinished("apply", false, Duration.ofMillis(1000), t1.plusSeconds(120), List.of(res("sysctl[a]", Status.ERROR)), "def456", false, 0);
        again.write();

        Map<String, Double> s = Exposition.parse(Files.readString(state.resolve("metrics.prom")));
        assertThat(s).containsEntry("devbox_agent_runs_total{command=\"apply\",result=\"success\"}", 1.0)
                .containsEntry("devbox_agent_runs_total{command=\"apply\",result=\"failure\"}", 1.0)
                .containsEntry("devbox_agent_runs_total{command=\"watch\",result=\"failure\"}", 1.0)
                .containsEntry("devbox_agent_run_duration_seconds_sum{command=\"apply\"}", 2.5)
                .containsEntry("devbox_agent_run_duration_seconds_count{command=\"apply\"}", 2.0)
                .containsEntry("devbox_agent_last_run_duration_seconds{command=\"apply\"}", 1.0)
                .containsEntry("devbox_agent_resources{status=\"error\"}", 1.0)
                .containsEntry("devbox_agent_resources{status=\"drift\"}", 0.0)
                .containsEntry("devbox_agent_drifted_resources", 0.0)
                .containsEntry("devbox_agent_source_fetch_errors_total", 1.0)
                .containsEntry("devbox_agent_last_run_timestamp_seconds", 1795946520.25)
                .containsEntry("devbox_agent_last_success_timestamp_seconds", 1795946400.25)
                .containsEntry("devbox_agent_applied_commit_info{commit=\"abc123\"}", 1.0)
                .doesNotContainKey("devbox_agent_applied_commit_info{commit=\"def456\"}");
        assertThat(s.keySet()).allMatch(k -> k.startsWith("devbox_agent_"));
    }

    @Test
    void reportPushesAreCountedByResultAcrossProcesses() throws Exception {
        AgentMetrics m = AgentMetrics.load(state, null);
        m.reportPushed(true);
        m.reportPushed(false);
        m.write();
        AgentMetrics again = AgentMetrics.load(state, null);
        again.reportPushed(true);
        again.write();
        String text = Files.readString(state.resolve("metrics.prom"));
        assertThat(Exposition.parse(text)).containsEntry("devbox_agent_report_push_total{result=\"success\"}", 2.0)
                .containsEntry("devbox_agent_report_push_total{result=\"failure\"}", 1.0);
        assertThat(text).contains("# TYPE devbox_agent_report_push_total counter");
    }

    @Test
    void theAppliedCommitInfoHasOneSeries() throws Exception {
        AgentMetrics m = AgentMetrics.load(state, state.resolve("textfile/devbox.prom"));
        m.runFinished("apply", true, Duration.ZERO, Instant.EPOCH, List.of(), "c1", true, 0);
        m.runFinished("watch", true, Duration.ZERO, Instant.EPOCH, List.of(), "c2", true, 0);
        m.write();
        Map<String, Double> s = Exposition.parse(Files.readString(state.resolve("textfile/devbox.prom")));
        assertThat(s.keySet().stream().filter(k -> k.startsWith("devbox_agent_applied_commit_info"))).containsExactly(
                "devbox_agent_applied_commit_info{commit=\"c2\"}");
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        MetricRegistry r = new MetricRegistry();
        r.counter(MetricKey.of("x_total", "path", "C:\\dir \"q\"\nnext").text()).inc(3);
        String text = PrometheusText.format(r, List.of(new PrometheusText.Family("x_total", "counter", "a \\ b\nc")));
        assertThat(text).isEqualTo("""
                # HELP x_total a \\\\ b\\nc
                # TYPE x_total counter
                x_total{path="C:\\\\dir \\"q\\"\\nnext"} 3
                """);
        assertThat(Exposition.parse(text)).hasSize(1);
        assertThat(MetricKey.parse(MetricKey.of("x_total", "path", "C:\\dir \"q\"\nnext", "a", "}").text()).labels())
                .containsEntry("path", "C:\\dir \"q\"\nnext").containsEntry("a", "}");
    }

    @Test
    void numbersArePlain() {
        assertThat(PrometheusText.number(1.0)).isEqualTo("1");
        assertThat(PrometheusText.number(0.45)).isEqualTo("0.45");
        assertThat(PrometheusText.number(1795979148.87)).isEqualTo("1795979148.87");
        assertThat(PrometheusText.number(7L)).isEqualTo("7");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void metricsAddressesAreLoopbackUnlessAllowed() {
        assertThat(MetricsServer.address("127.0.0.1:9478", false).getPort()).isEqualTo(9478);
        assertThat(MetricsServer.address("[::1]:9478", false).getAddress().isLoopbackAddress()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsServer.address("0.0.0.0:9478", false))
                .hasMessageContaining("not a loopback address");
        assertThat(MetricsServer.address("0.0.0.0:9478", true).getPort()).isEqualTo(9478);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsServer.address("9478", false)).hasMessageContaining("HOST:PORT");
    }
}
