package io.devbox.agent.metrics;

import io.devbox.agent.host.Json;
import com.codahale.metrics.Counter;
import com.codahale.metrics.DefaultSettableGauge;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Redactor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The agent's metrics, kept in a Dropwizard registry. After every run they are written to the textfile
 * ({@code <state>/metrics.prom} by default; node_exporter's textfile-collector convention) and their values to
 * {@code <state>/metrics.json}, from which the next process restores them, so counters survive restarts.
 */
public final class AgentMetrics {
    public static final String PREFIX = "devbox_agent_";
    static final String RUNS = PREFIX + "runs_total";
    static final String DURATION = PREFIX + "run_duration_seconds";
    static final String LAST_DURATION = PREFIX + "last_run_duration_seconds";
    static final String RESOURCES = PREFIX + "resources";
    static final String DRIFTED = PREFIX + "drifted_resources";
    static final String LAST_RUN = PREFIX + "last_run_timestamp_seconds";
    static final String LAST_SUCCESS = PREFIX + "last_success_timestamp_seconds";
    static final String FETCH_ERRORS = PREFIX + "source_fetch_errors_total";
    static final String COMMIT = PREFIX + "applied_commit_info";
    static final String OVERRIDES = PREFIX + "overrides_active";
    static final String REPORT_PUSHES = PREFIX + "report_push_total";

    public static final List<PrometheusText.Family> FAMILIES = List.of(
            new PrometheusText.Family(RUNS, "counter", "Agent runs by command and result (success: nothing failed)."),
            new PrometheusText.Family(DURATION, "summary", "Duration of agent runs by command."),
            new PrometheusText.Family(LAST_DURATION, "gauge", "Duration of the last run."),
            new PrometheusText.Family(RESOURCES, "gauge", "Resources of the last run by status."),
            new PrometheusText.Family(DRIFTED, "gauge", "Resources that drifted from what the agent applied (last run)."),
            new PrometheusText.Family(OVERRIDES, "gauge", "Active overrides (resources the agent leaves alone for now)."),
            new PrometheusText.Family(LAST_RUN, "gauge", "Unix time the last run ended."),
            new PrometheusText.Family(LAST_SUCCESS, "gauge", "Unix time the last run without errors ended."),
            new PrometheusText.Family(FETCH_ERRORS, "counter", "Runs and watch checks that could not read the profile source."),
            new PrometheusText.Family(COMMIT, "gauge", "The commit of the profiles last applied to this box (value always 1)."),
            new PrometheusText.Family(REPORT_PUSHES, "counter", "Fleet report pushes by result (success: the report landed)."));


    private final MetricRegistry registry = new MetricRegistry();
    private final Path stateDir;
    private final Path textfile;

    private AgentMetrics(Path stateDir, Path textfile) {
        this.stateDir = stateDir;
        this.textfile = textfile != null ? textfile : stateDir.resolve("metrics.prom");
    }

    /**
     * The metrics of this state directory, not read yet: for a caller that starts every update with {@link #reload()}
     * (a run's {@code RunMetrics}), so the file is read once a run.
     */
    public static AgentMetrics unread(Path stateDir, Path textfile) {
        return new AgentMetrics(stateDir, textfile);
    }

    /** The metrics of this state directory as the last process left them (empty when there are none or they are damaged). */
    public static AgentMetrics load(Path stateDir, Path textfile) {
        AgentMetrics m = new AgentMetrics(stateDir, textfile);
        m.reload();
        return m;
    }

    /**
     * Re-reads the persisted values. Callers start every reload-update-write sequence with it (under the run lock),
     * so a long-running watch and one-off commands sharing the state directory never lose each other's counts.
     */
    public synchronized void reload() {
        registry.removeMatching((name, metric) -> true);
        try {
            JsonNode root = Json.read(AtomicFiles.readState(stateDir.resolve("metrics.json")));
            for (Map.Entry<String, JsonNode> e : root.path("counters").properties()) {
                registry.counter(MetricKey.parse(e.getKey()).text()).inc(e.getValue().asLong());
            }
            for (Map.Entry<String, JsonNode> e : root.path("gauges").properties()) {
                gauge(MetricKey.parse(e.getKey())).setValue(e.getValue().asDouble());
            }
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            // damaged totals restart from zero rather than stop the agent
        }
    }

    public Path textfile() {
        return textfile;
    }

    public MetricRegistry registry() {
        return registry;
    }

    /**
     * A run that produced a record.
     *
     * @param applied   the run applied the profiles (its commit becomes the applied commit)
     * @param activeOverrides overrides active during the run
     */
    public synchronized void runFinished(String command, boolean success, Duration duration, Instant end,
                                         List<ResourcePlan> resources, String commit, boolean applied, int activeOverrides) {
        counted(command, success, duration, end);
        for (Status s : Status.values()) {
            gauge(MetricKey.of(RESOURCES, "status", s.label())).setValue((double) resources.stream().filter(r -> r.status() == s).count());
        }
        gauge(MetricKey.of(DRIFTED)).setValue((double) resources.stream().filter(r -> r.status() == Status.DRIFT).count());
        gauge(MetricKey.of(OVERRIDES)).setValue((double) activeOverrides);
        if (applied && commit != null) {
            registry.removeMatching((name, metric) -> name.startsWith(COMMIT));
            gauge(MetricKey.of(COMMIT, "commit", commit)).setValue(1.0);
        }
    }

    /** A run that ended before it could plan (source, profile or lock error). */
    public synchronized void runAborted(String command, Duration duration, Instant end) {
        counted(command, false, duration, end);
    }

    /** A fleet report push ({@code agent report push} or the watch daemon's publishing) that landed or failed. */
    public synchronized void reportPushed(boolean success) {
        registry.counter(MetricKey.of(REPORT_PUSHES, "result", success ? "success" : "failure").text()).inc();
    }

    public synchronized void sourceFetchError() {
        registry.counter(MetricKey.of(FETCH_ERRORS).text()).inc();
    }

    private void counted(String command, boolean success, Duration duration, Instant end) {
        registry.counter(MetricKey.of(RUNS, "command", command, "result", success ? "success" : "failure").text()).inc();
        double seconds = duration.toMillis() / 1000.0;
        DefaultSettableGauge<Double> sum = gauge(MetricKey.of(DURATION + "_sum", "command", command));
        sum.setValue(sum.getValue() + seconds);
        registry.counter(MetricKey.of(DURATION + "_count", "command", command).text()).inc();
        gauge(MetricKey.of(LAST_DURATION, "command", command)).setValue(seconds);
        double at = end.toEpochMilli() / 1000.0;
        gauge(MetricKey.of(LAST_RUN)).setValue(at);
        if (success) gauge(MetricKey.of(LAST_SUCCESS)).setValue(at);
        if (registry.getCounters().keySet().stream().noneMatch(k -> k.startsWith(FETCH_ERRORS))) {
            registry.counter(MetricKey.of(FETCH_ERRORS).text());
        }
    }

    @SuppressWarnings("unchecked")
    private DefaultSettableGauge<Double> gauge(MetricKey key) {
        Gauge<?> g = registry.gauge(key.text(), () -> new DefaultSettableGauge<>(0.0));
        return (DefaultSettableGauge<Double>) g;
    }

    /** The exposition text of the current values. */
    public synchronized String exposition() {
        // labels carry resource ids and source names: they pass the redactor like every other output
        return Redactor.redact(PrometheusText.format(registry, FAMILIES));
    }

    /** Writes the totals and the textfile, both atomically. */
    public synchronized void write() throws IOException {
        ObjectNode root = Json.object();
        root.put("formatVersion", 1);
        ObjectNode counters = root.putObject("counters");
        registry.getCounters().forEach((k, c) -> counters.put(k, c.getCount()));
        ObjectNode gauges = root.putObject("gauges");
        registry.getGauges().forEach((k, g) -> {
            if (g.getValue() instanceof Number n) gauges.put(k, n.doubleValue());
        });
        AtomicFiles.write(stateDir.resolve("metrics.json"), Redactor.redact(Json.pretty(root)), "rw-------");
        AtomicFiles.write(textfile, exposition().getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    }
}
