package io.devbox.agent.enrol;

import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Commands;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The daemon as {@code devbox-agent.service}, installed by the package: enabled and started through systemctl. */
public record SystemdLoop(Commands commands) implements Loop {
    public static final String UNIT = "devbox-agent.service";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Override
    public String describe() {
        return UNIT;
    }

    @Override
    public State state() throws IOException {
        Map<String, String> p = show();
        return new State(p.getOrDefault("UnitFileState", "").startsWith("enabled"), isRunning(p));
    }

    private static boolean isRunning(Map<String, String> p) {
        String active = p.getOrDefault("ActiveState", "");
        // activating in auto-restart: it failed and waits to be started again
        return active.equals("active") || active.equals("reloading")
                || (active.equals("activating") && !p.getOrDefault("SubState", "").equals("auto-restart"));
    }

    @Override
    public Optional<String> missing() throws IOException {
        if (!"not-found".equals(show().get("LoadState"))) return Optional.empty();
        return Optional.of(UNIT + " is not installed: install the devbox-agent package (or copy "
                + "samples/devbox-agent.service to /etc/systemd/system/, point its ExecStart at this agent, and run "
                + "systemctl daemon-reload)");
    }

    @Override
    public List<String> start(boolean restart) throws IOException {
        Optional<String> missing = missing();
        if (missing.isPresent()) throw new IOException(missing.get());
        Map<String, String> p = show();
        boolean enabled = p.getOrDefault("UnitFileState", "").startsWith("enabled");
        boolean running = isRunning(p);
        List<String> did = new ArrayList<>();
        if (!enabled && !running) {
            systemctl("enable", "--now", UNIT);
            did.add("enabled and started " + UNIT + " (systemctl enable --now " + UNIT + ")");
            return did;
        }
        if (!enabled) {
            systemctl("enable", UNIT);
            did.add("enabled " + UNIT + " (it starts at boot)");
        }
        if (running && restart) {
            systemctl("restart", UNIT);
            did.add("restarted " + UNIT + " (its enrolment changed)");
        } else if (!running) {
            systemctl("start", UNIT);
            did.add("started " + UNIT);
        }
        return did;
    }

    @Override
    public List<String> stop() throws IOException {
        Map<String, String> p = show();
        if ("not-found".equals(p.get("LoadState"))) return List.of();
        boolean enabled = p.getOrDefault("UnitFileState", "").startsWith("enabled");
        boolean running = isRunning(p);
        List<String> did = new ArrayList<>();
        if (enabled || running) {
            systemctl("disable", "--now", UNIT);
            did.add((running ? "stopped and " : "") + "disabled " + UNIT + " (systemctl disable --now " + UNIT + ")");
        }
        if ("failed".equals(p.get("ActiveState"))) systemctl("reset-failed", UNIT);
        return did;
    }

    @Override
    public String diagnose() {
        try {
            CommandResult r = commands.run(List.of("journalctl", "-u", UNIT, "-n", "15", "--no-pager", "-o", "cat"),
                    Map.of("SYSTEMD_COLORS", "0"), null, TIMEOUT);
            return "systemctl status " + UNIT + ": " + show().getOrDefault("ActiveState", "?") + "; its last log lines "
                    + "(journalctl -u " + UNIT + "):\n" + r.stdout().stripTrailing();
        } catch (IOException e) {
            return "see journalctl -u " + UNIT;
        }
    }

    private Map<String, String> show() throws IOException {
        CommandResult r = systemctl("show", "-p", "LoadState,UnitFileState,ActiveState,SubState", "--", UNIT);
        Map<String, String> out = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }

    private CommandResult systemctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        argv.addAll(List.of(args));
        CommandResult r = commands.run(argv, Map.of("SYSTEMD_PAGER", "cat", "SYSTEMD_COLORS", "0"), null, TIMEOUT);
        if (!r.ok()) throw new IOException(String.join(" ", argv) + ": " + r.describe());
        return r;
    }
}
