package io.devbox.agent.engine;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.AtomicFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import io.devbox.agent.host.TrustedPaths;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's state directory: last applied values (for drift provenance), run records, the lock, caches.
 * Every write is atomic. It must be trusted ({@link TrustedPaths}: owned by root or the agent's user, writable by
 * nobody else, all the way up), and the agent's files in it are read and written without following links.
 */
public final class StateDir {
    private final Path dir;

    public StateDir(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Creates the directory (mode 0700: run records may name private repositories), checks that it is trusted and
     * removes temp leftovers.
     */
    public void prepare() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        checkTrusted();
        refuseLinks();
        AtomicFiles.removeLeftovers(dir);
        AtomicFiles.removeLeftovers(dir.resolve("runs"));
    }

    /**
     * The agent never makes a symbolic link in its state directory, so one there (a {@code lock}, an
     * {@code applied.json}, a {@code runs} directory pointing elsewhere) was planted: refused before anything follows it.
     */
    private void refuseLinks() throws IOException {
        try (var entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) if (Files.isSymbolicLink(p)) throw AtomicFiles.symlinkRefused(p);
        }
    }

    /**
     * Refuses a state directory that someone other than root or the agent's user could change (a {@code --state-dir}
     * in a developer's home, or under a directory they can write): what is in it would be their input, and root
     * writes there. A directory that does not exist yet passes (the agent makes it).
     */
    public void checkTrusted() throws IOException {
        TrustedPaths.require(dir, "the state directory");
    }

    public AppliedState loadApplied() throws IOException {
        Path f = dir.resolve("applied.json");
        JsonNode root;
        try {
            root = Json.read(AtomicFiles.readState(f));
        } catch (NoSuchFileException e) {
            return AppliedState.empty();
        } catch (JacksonException e) {
            throw new IOException("state file " + f + " is not valid JSON (" + e.getOriginalMessage()
                    + "); move it away to start afresh", e);
        }
        Map<String, AppliedState.Entry> out = new LinkedHashMap<>();
        JsonNode res = root.path("resources");
        for (Map.Entry<String, JsonNode> e : res.properties()) {
            JsonNode n = e.getValue();
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> v : n.path("values").properties()) {
                values.put(v.getKey(), v.getValue().isNull() ? null : v.getValue().asString());
            }
            out.put(e.getKey(), new AppliedState.Entry(n.path("kind").asString(), values,
                    n.path("appliedAt").asString(null), n.path("commit").asString(null)));
        }
        return new AppliedState(out);
    }

    public void saveApplied(AppliedState state) throws IOException {
        ObjectNode root = Json.object();
        root.put("formatVersion", 1);
        ObjectNode res = root.putObject("resources");
        state.resources().forEach((id, e) -> {
            ObjectNode n = res.putObject(id);
            n.put("kind", e.kind());
            ObjectNode values = n.putObject("values");
            e.values().forEach(values::put);
            n.put("appliedAt", e.appliedAt());
            n.put("commit", e.commit());
        });
        AtomicFiles.write(dir.resolve("applied.json"), io.devbox.agent.host.Redactor.redact(Json.pretty(root)), "rw-------");
    }
}
