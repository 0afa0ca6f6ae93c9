package io.devbox.agent.enrol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this agent is installed, as its launcher says ({@code -Ddevbox.agent.launcher}): the Debian package's
 * {@code /usr/bin/devbox-agent}, or {@code agent/bin/agent} in a checkout. The loop {@code enroll} sets up runs this
 * launcher, and on WSL its boot command is the start script beside it.
 *
 * @param launcher the launcher's resolved path; the package's when the agent was started without one ({@code java -jar})
 */
public record Installation(Path launcher) {
    public static final String PROPERTY = "devbox.agent.launcher";
    public static final Path PACKAGED = Path.of("/usr/bin/devbox-agent");

    public static Installation current() {
        String p = System.getProperty(PROPERTY);
        return new Installation(p == null || p.isBlank() ? null : Path.of(p));
    }

    /** The name help and man pages use: the launcher's file name ({@code agent} without a launcher). */
    public String program() {
        return launcher == null ? "agent" : launcher.getFileName().toString();
    }

    /** The launcher to run the daemon with. */
    public Path agent() {
        return launcher == null ? PACKAGED : launcher;
    }

    /** The jar this agent runs from (empty when it runs from class directories, as in unit tests). */
    public Optional<Path> jar() {
        try {
            Path p = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The script WSL's {@code [boot] command} runs: {@code /usr/lib/devbox-agent/wsl-start} beside the package's
     * launcher, {@code samples/devbox-agent-wsl-start} in a checkout.
     */
    public Path wslStart() {
        Path bin = agent().getParent();
        Path packaged = bin.resolveSibling("lib/devbox-agent/wsl-start");
        Path checkout = bin.getParent().resolveSibling("samples/devbox-agent-wsl-start");
        return Files.isRegularFile(checkout) && !Files.isRegularFile(packaged) ? checkout : packaged;
    }
}
