package io.devbox.agent.hardening;

import io.devbox.agent.testing.SystemTests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How tests start the built agent: the launcher (AppCDS archive, ~0.7 s a run) when it is there, else java -jar. */
final class Agents {
    private Agents() {
    }

    static List<String> command() {
        SystemTests.agentJar();
        String launcher = System.getProperty("agent.launcher");
        if (launcher != null && Files.isExecutable(Path.of(launcher))) return new ArrayList<>(List.of(launcher));
        return SystemTests.agentCommand();
    }
}
