package io.devbox.agent.run;

import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.source.SourceException;
import io.devbox.agent.source.SourceState;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Counts every run in the agent's metrics ({@code metrics.prom}), re-read first: other runs update them too. */
final class RunMetrics implements RunListener {
    private final Path stateDir;
    private final Supplier<AgentMetrics> metrics;

    RunMetrics(Path stateDir, Supplier<AgentMetrics> metrics) {
        this.stateDir = stateDir;
        this.metrics = metrics;
    }

    @Override
    public void finished(Finished f) throws IOException {
        AgentMetrics m = metrics.get();
        m.reload();
        if (sourceStateError()) m.sourceFetchError();
        boolean ok = !Session.failed(f.run());
        m.runFinished(f.run().command(), ok, Duration.between(f.start(), f.end()), f.end(), f.run().resources(), f.commit(),
                f.applies() && ok, f.activeOverrides());
        m.write();
    }

    @Override
    public void aborted(String command, Instant start, Instant end, Exception cause) throws IOException {
        AgentMetrics m = metrics.get();
        m.reload();
        if (cause instanceof SourceException) m.sourceFetchError();
        m.runAborted(command, Duration.between(start, end), end);
        m.write();
    }

    /** True when the source state ({@code <state>/source.json}, kept by the remote source) records a fetch error. */
    private boolean sourceStateError() {
        try {
            String error = SourceState.read(stateDir).error();
            return error != null && !error.isBlank();
        } catch (IOException e) {
            return false;
        }
    }
}
