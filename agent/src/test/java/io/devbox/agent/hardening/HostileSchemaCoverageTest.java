package io.devbox.agent.hardening;

import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.profile.ValidationCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which cases of the hostile corpus the profile schema itself refuses (so editors mark them too), and which only the
 * agent's own checks can: the latter are listed here, each with the reason no schema can state it. A rule a pattern
 * can state (a '..' segment in a path, a port range) belongs in the kind's fragment; the agent keeps its deeper checks.
 */
class HostileSchemaCoverageTest {
    private static final HostIdentity BOX = new HostIdentity("dev-1", Map.of(), "root", "/root");

    /** Hostile cases the schema lets through, and why only the agent can refuse them. */
    private static final Map<String, String> AGENT_ONLY = Map.ofEntries(
            Map.entry("cgroup-memory-overflow", "a size past 2^63 - 1 bytes once its suffix multiplies it: arithmetic, not a pattern"),
            Map.entry("dependson-cycle", "a cycle is a property of the graph of all resources"),
            Map.entry("go-mirror-plain-http", "whether every listed version has a pinned checksum relates two fields' values"),
            Map.entry("hook-repos-bad-glob", "whether a glob's brackets are balanced is the glob reader's"),
            Map.entry("gotools-name-mismatch", "the program name go install gives is the package path's last element (or the one before a major version suffix)"),
            Map.entry("packages-locktimeout-absurd", "a duration's upper bound (30m) once its units are added up: arithmetic, not a pattern"));

    @Test
    void theSchemaRefusesEveryHostileCaseButThoseOnlyTheAgentCanSee(@TempDir Path tmp) throws Exception {
        Map<String, String> schemaMisses = new TreeMap<>();
        for (HostileCase c : HostileCase.all()) {
            Path repo = tmp.resolve(c.name());
            c.materialize(repo);
            List<ProfileFile> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(repo.resolve("profiles"))) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    files.add(new ProfileFile(repo.relativize(p).toString(), Files.readAllBytes(p)));
                }
            }
            List<String> errors = List.of();
            try {
                new ProfileLoader(ValidationCache.NONE, Kinds.schema()).load(files, BOX, RepoFiles.NONE);
            } catch (ProfileException e) {
                errors = e.errors().stream().map(ProfileError::render).toList();
            }
            if (errors.stream().noneMatch(e -> e.startsWith(c.location()))) schemaMisses.put(c.name(), String.join(" | ", errors));
        }
        assertThat(schemaMisses.keySet()).containsExactlyInAnyOrderElementsOf(AGENT_ONLY.keySet());
    }
}
