package io.devbox.agent.kinds.contract;

import io.devbox.agent.host.Account;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The fixture's own commands, each program run also written down (argument lists, in order), while recording. */
final class RecordingCommands extends Commands {
    private final Commands inner;
    private final List<List<String>> calls = new ArrayList<>();

    private RecordingCommands(Commands inner) {
        this.inner = inner;
    }

    /** {@code host} with its commands recorded. */
    static Host recording(Host host, RecordingCommands[] out) {
        RecordingCommands r = new RecordingCommands(host.commands());
        out[0] = r;
        return new Host(host.root(), host.sysctlDir(), host.cgroupDir(), host.stateDir(), host.facts(), r);
    }

    synchronized List<List<String>> calls() {
        return List.copyOf(calls);
    }

    synchronized void clear() {
        calls.clear();
    }

    private synchronized void note(List<String> argv) {
        calls.add(List.copyOf(argv));
    }

    @Override
    public CommandResult run(List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout, byte[] stdin) throws IOException {
        note(argv);
        return inner.run(argv, extraEnv, workDir, timeout, stdin);
    }

    @Override
    public CommandResult runAs(Account who, List<String> argv, Map<String, String> extraEnv, Path workDir, Duration timeout) throws IOException {
        note(argv);
        return inner.runAs(who, argv, extraEnv, workDir, timeout);
    }
}
