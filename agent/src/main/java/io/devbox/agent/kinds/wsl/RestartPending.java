package io.devbox.agent.kinds.wsl;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Times;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "A WSL restart is pending": written when the agent changes /etc/wsl.conf or .wslconfig, with the boot id of
 * the running kernel. The agent inside WSL cannot restart its own VM; once the boot id differs (WSL restarted),
 * the changes are in effect and nothing is pending. File: {@code <stateDir>/wsl/restart-pending.json}.
 */
public final class RestartPending {
    private static final JsonMapper JSON = JsonMapper.shared();

    /** @param since ISO-8601 time of the first change in this boot; {@code changed} resource ids */
    public record Pending(String bootId, String since, List<String> changed) {
        public Pending {
            changed = changed == null ? List.of() : List.copyOf(changed);
        }
    }

    private RestartPending() {
    }

    public static Path file(Path stateDir) {
        return stateDir.resolve("wsl").resolve("restart-pending.json");
    }

    /** True while a change recorded in this boot waits for a WSL restart. For {@code agent status}. */
    public static boolean read(Path stateDir, String currentBootId) {
        return details(stateDir, currentBootId).isPresent();
    }

    /** What waits for a restart in the current boot; empty when nothing does (or WSL restarted since). */
    public static Optional<Pending> details(Path stateDir, String currentBootId) {
        Optional<Pending> p = stored(stateDir);
        return p.filter(x -> x.bootId().equals(bootKey(currentBootId)));
    }

    /** Records that {@code resourceId} changed a WSL settings file during boot {@code bootId}. */
    public static void record(Path stateDir, String bootId, String resourceId) throws IOException {
        String boot = bootKey(bootId);
        Optional<Pending> prev = stored(stateDir).filter(x -> x.bootId().equals(boot));
        List<String> changed = new ArrayList<>(prev.map(Pending::changed).orElse(List.of()));
        if (!changed.contains(resourceId)) changed.add(resourceId);
        Pending p = new Pending(boot, prev.map(Pending::since).orElse(Times.iso(Instant.now())), changed);
        // root-only: the agent's state directory
        AtomicFiles.write(file(stateDir), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(p), "rw-r--r--");
    }

    private static Optional<Pending> stored(Path stateDir) {
        try {
            Pending p = JSON.readValue(Files.readAllBytes(file(stateDir)), Pending.class); // root-only: the state directory
            return p.bootId() == null ? Optional.empty() : Optional.of(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException e) {
            // a damaged record must not hide a pending restart
            return Optional.of(new Pending("unreadable", Instant.EPOCH.toString(), List.of()));
        }
    }

    private static String bootKey(String bootId) {
        return bootId == null || bootId.isBlank() ? "unknown" : bootId.strip();
    }
}
