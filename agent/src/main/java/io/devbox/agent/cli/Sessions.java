package io.devbox.agent.cli;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.config.AgentConfigLoader;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.run.Session;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Opens a session from the common options and the agent config file (the options win). */
final class Sessions {
    private Sessions() {
    }

    static Session open(CommonOptions common) throws IOException {
        return open(common, config(common));
    }

    static Session open(CommonOptions common, AgentConfig config) {
        Session s = Session.open(config.overlay(common.toAgentOptions()), common.toGitOptions(), System.getenv(), Clock.systemUTC(), KindRegistry.standard())
                .useRetention(config.retention());
        if (config.metrics().textfile() != null) s.useMetrics(AgentMetrics.load(s.state().path(), config.metrics().textfile()));
        return s;
    }

    /** The config of --config FILE, else of /etc/devbox-agent/agent.yaml when it exists (the real one, not under --root). */
    static AgentConfig config(CommonOptions common) throws IOException {
        return AgentConfigLoader.load(common.config, AgentConfig.DEFAULT_FILE);
    }

    static Set<String> only(List<String> kinds) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : kinds) out.addAll(Arrays.stream(k.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        return out;
    }
}
