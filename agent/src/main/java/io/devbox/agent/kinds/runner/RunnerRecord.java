package io.devbox.agent.kinds.runner;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.Host;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the agent remembers of a runner it installed, in {@code <stateDir>/runner/<NAME>.json}: where it lives, who
 * runs it, where its token comes from (never the token), and the registration as last applied (labels, ephemeral and
 * group cannot be read back from the box). Removal works from this record when the profile is gone.
 *
 * @param registration null until config.sh succeeded
 */
record RunnerRecord(String name, String installDir, String runAs, String tokenFile, String tokenEnv, String unit,
                    Registration registration) {

    record Registration(String url, String labels, boolean ephemeral, String group) {
    }

    /** A record is a few hundred bytes of JSON. */
    private static final long RECORD_CAP = 1L << 20;

    static Path file(Host host, String name) {
        return host.stateDir().resolve("runner").resolve(name + ".json");
    }

    static RunnerRecord of(RunnerSpec s, Registration registration) {
        return new RunnerRecord(s.name(), s.installDir(), s.runAs(), s.tokenFile(), s.tokenEnv(), s.unitName(), registration);
    }

    RunnerRecord withRegistration(Registration r) {
        return new RunnerRecord(name, installDir, runAs, tokenFile, tokenEnv, unit, r);
    }

    static Optional<RunnerRecord> read(Host host, String name) throws IOException {
        Path f = file(host, name);
        JsonNode n;
        try {
            Optional<byte[]> content = host.fs().read(f, RECORD_CAP, "a runner record");
            if (content.isEmpty()) return Optional.empty();
            n = Json.read(content.get());
        } catch (JacksonException e) {
            throw new IOException("the runner record " + f + " is not valid JSON; move it away (the runner is then unknown to the agent)", null);
        }
        Registration reg = null;
        JsonNode r = n.path("registration");
        if (r.isObject()) {
            reg = new Registration(text(r, "url"), text(r, "labels"), r.path("ephemeral").asBoolean(false), text(r, "group"));
        }
        return Optional.of(new RunnerRecord(text(n, "name"), text(n, "installDir"), text(n, "runAs"), text(n, "tokenFile"),
                text(n, "tokenEnv"), text(n, "unit"), reg));
    }

    void write(Host host) throws IOException {
        ObjectNode n = Json.object();
        n.put("formatVersion", 1);
        n.put("name", name);
        n.put("installDir", installDir);
        n.put("runAs", runAs);
        n.put("tokenFile", tokenFile);
        n.put("tokenEnv", tokenEnv);
        n.put("unit", unit);
        if (registration != null) {
            ObjectNode r = n.putObject("registration");
            r.put("url", registration.url());
            r.put("labels", registration.labels());
            r.put("ephemeral", registration.ephemeral());
            r.put("group", registration.group());
        }
        host.fs().write(file(host, name), Json.pretty(n), "rw-------", false);
    }

    static void delete(Host host, String name) throws IOException {
        host.fs().delete(file(host, name));
    }

    /** Names of all runners the agent has records of. */
    static List<String> names(Host host) throws IOException {
        Path dir = host.stateDir().resolve("runner");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (var s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                String f = p.getFileName().toString();
                out.add(f.substring(0, f.length() - ".json".length()));
            }
        }
        return out;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asString();
    }
}
