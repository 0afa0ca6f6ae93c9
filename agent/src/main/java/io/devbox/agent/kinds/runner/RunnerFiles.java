package io.devbox.agent.kinds.runner;

import io.devbox.agent.host.Json;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.UnsafePathException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the runner package and config.sh leave in an install directory. Read-only. */
final class RunnerFiles {
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    /** .runner is a few hundred bytes of JSON. */
    private static final long REGISTRATION_CAP = 64L << 10;
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^\\s*v?([0-9]+\\.[0-9]+\\.[0-9]+)\\s*$");

    /** The fields of {@code .runner} the agent uses. */
    record Registration(String agentName, String gitHubUrl, String poolName, String workFolder) {
    }

    private RunnerFiles() {
    }

    /**
     * {@code .runner} of {@code dir}: JSON written by .NET, which may start with a UTF-8 byte order mark. Null when
     * absent, or when {@code .credentials} is missing (a registration cut short counts as none). Both lie in the tree
     * runAs owns: read through {@link BoxFs} (no link followed, capped).
     */
    static Registration registration(Host host, Path dir) throws ResourceException {
        Path f = dir.resolve(".runner");
        byte[] bytes;
        boolean credentials;
        try {
            BoxFs fs = host.fs();
            Optional<byte[]> content = fs.read(f, REGISTRATION_CAP, "a runner's .runner file");
            if (content.isEmpty()) return null;
            bytes = content.get();
            credentials = fs.stat(dir.resolve(".credentials")).filter(e -> e.kind() == BoxFs.Entry.Kind.FILE).isPresent();
        } catch (UnsafePathException e) {
            throw new ResourceException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + f + ": " + e.getMessage(), e);
        }
        if (!credentials) return null;
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        JsonNode n;
        try {
            n = Json.read(text);
        } catch (JacksonException e) {
            throw new ResourceException(f + " is not valid JSON (" + e.getOriginalMessage() + "); reconfigure the runner by hand or remove it");
        }
        if (n == null || !n.isObject()) throw new ResourceException(f + " is not a JSON object");
        return new Registration(field(n, "agentName"), field(n, "gitHubUrl"), field(n, "poolName"), field(n, "workFolder"));
    }

    /** .NET writes PascalCase; older runners camelCase: match names case-insensitively. */
    private static String field(JsonNode n, String name) {
        for (var e : n.properties()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue().isString()) return e.getValue().asString();
        }
        return null;
    }

    /**
     * The version {@code bin/Runner.Listener --version} prints (the package's own answer: the runner's self-update,
     * which the agent turns off, or a hand edit would otherwise go unseen), or why it cannot tell. Run as the runner's
     * user ({@link RunnerUser}).
     */
    static VersionAnswer version(Host host, Path dir, String runAs) {
        Path listener = dir.resolve("bin/Runner.Listener");
        if (!Files.isExecutable(listener)) return new VersionAnswer(null, "bin/Runner.Listener is missing");
        CommandResult r;
        try {
            r = RunnerUser.run(host, runAs, listener, List.of("--version"), Map.of("DOTNET_CLI_TELEMETRY_OPTOUT", "1"), dir, VERSION_TIMEOUT);
        } catch (ResourceException e) {
            return new VersionAnswer(null, e.getMessage());
        } catch (IOException e) {
            return new VersionAnswer(null, "bin/Runner.Listener cannot run: " + e.getMessage());
        }
        if (!r.ok()) return new VersionAnswer(null, "bin/Runner.Listener --version failed: " + r.describe());
        Matcher m = VERSION_LINE.matcher(r.stdout());
        if (!m.find()) {
            String first = r.stdout().strip().lines().findFirst().orElse("");
            return new VersionAnswer(null, "bin/Runner.Listener --version printed '" + (first.length() > 80 ? first.substring(0, 80) + "..." : first) + "'");
        }
        return new VersionAnswer(m.group(1), null);
    }

    record VersionAnswer(String version, String problem) {
    }
}
