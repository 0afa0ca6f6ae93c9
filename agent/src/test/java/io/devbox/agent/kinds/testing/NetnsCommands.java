package io.devbox.agent.kinds.testing;

import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Commands;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs every command inside a network namespace the test made ({@code ip netns exec NS ...}). */
public final class NetnsCommands extends Commands {
    private final String namespace;

    public NetnsCommands(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout) throws IOException {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        wrapped.addAll(argv);
        CommandResult r = super.run(wrapped, extraEnv, workDir, timeout);
        return new CommandResult(List.copyOf(argv), r.exitCode(), r.stdout(), r.stderr());
    }
}
