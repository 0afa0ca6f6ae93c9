package io.devbox.agent.cli;

import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.run.Session;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Opens a session from the common options. */
final class Sessions {
    private Sessions() {
    }

    static Session open(CommonOptions common) {
        return Session.open(common.toAgentOptions(), common.toGitOptions(), System.getenv(), Clock.systemUTC(), KindRegistry.standard());
    }

    static Set<String> only(List<String> kinds) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : kinds) out.addAll(Arrays.stream(k.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        return out;
    }
}
