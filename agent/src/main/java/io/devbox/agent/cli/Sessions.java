package io.devbox.agent.cli;

import io.devbox.agent.engine.KindServices;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.config.AgentConfigLoader;
import io.devbox.agent.metrics.AgentMetrics;
import io.devbox.agent.run.GitOptions;
import io.devbox.agent.run.Session;
import io.devbox.agent.source.SourceException;

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

    /** A session for one command; its state directory must be trusted before anything in it is read. */
    static Session open(CommonOptions common) throws IOException, SourceException {
        AgentConfig config = config(common);
        Session session = open(common, config, git(common, config));
        session.state().checkTrusted();
        return session;
    }

    /** The effective git trust settings (command line over config); verification without trusted keys is refused. */
    static GitOptions git(CommonOptions common, AgentConfig config) throws SourceException {
        GitOptions git = config.overlay(common.toGitOptions());
        if (git.verifyCommits() && git.allowedSigners() == null && git.gpgKeys() == null) {
            throw new SourceException("commit verification needs trusted keys: --allowed-signers FILE and/or --gpg-keys FILE"
                    + " (or verify.allowedSigners / verify.gpgKeys in the agent config)");
        }
        return git;
    }

    static Session open(CommonOptions common, AgentConfig config, GitOptions git) {
        Session s = Session.open(config.overlay(common.toAgentOptions()), git, System.getenv(), Clock.systemUTC(),
                        Kinds.registry(new KindServices(config.downloadLimits())))
                .useRetention(config.retention());
        if (common.debug) s.onInternalFault(fault -> Failures.debug(fault, common.err()));
        if (config.metrics().textfile() != null) s.useMetrics(AgentMetrics.unread(s.state().path(), config.metrics().textfile()));
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
