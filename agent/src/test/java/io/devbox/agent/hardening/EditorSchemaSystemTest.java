package io.devbox.agent.hardening;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.YamlLanguageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schemas as editors and JSON Schema tools see them: {@code ajv compile --spec=draft2020 --strict=true} (ajv-cli)
 * accepts both with no custom keyword, and yaml-language-server, given {@code schema/profile.schema.json}, checks the
 * bundled profiles and every profile of the hostile corpus: each diagnostic message is a string (the LSP requires one),
 * and its first error is on the line of {@code agent validate}'s first error for that file alone.
 */
class EditorSchemaSystemTest {
    private static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Pattern LOCATED = Pattern.compile("^profiles/[^:]+:([0-9]+):([0-9]+): ", Pattern.MULTILINE);
    private static final int ERROR = 1;
    /**
     * The agent's YAML reader refuses these before any schema applies, where the editor's YAML parser reads on (merge
     * keys, an alias past the budget) or recovers (a tab): the editor's first error may then come from the schema on
     * an earlier line, so for these it must mark the agent's line among its errors.
     */
    private static final List<String> YAML_REFUSALS = List.of("tab character", "merge keys (<<) are not supported", "more than 20 aliases");

    @TempDir
    Path tmp;

    @Test
    void ajvCompilesBothSchemasInStrictMode() throws Exception {
        SystemTests.requireCommand("ajv");
        for (String schema : List.of("schema/profile.schema.json", "schema/agent-config.schema.json")) {
            SystemTests.Result r = SystemTests.run(List.of("ajv", "compile", "--spec=draft2020", "--strict=true", "-s", schema),
                    Map.of(), REPO, Duration.ofMinutes(2));
            assertThat(r.exitCode()).as(schema + ": " + r.all()).isZero();
            assertThat(r.all()).contains("is valid");
        }
    }

    @Test
    void theEditorAndAgentValidateAgreeOnEveryProfile() throws Exception {
        SystemTests.requireCommand("yaml-language-server");
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Path p : yamlFiles(REPO.resolve("profiles"))) texts.put(p, Files.readString(p, StandardCharsets.UTF_8));
        int bundled = texts.size();
        for (HostileCase c : HostileCase.all()) {
            Path repo = tmp.resolve(c.name());
            c.materialize(repo);
            for (Path p : yamlFiles(repo.resolve("profiles"))) {
                if (Files.size(p) > 256 * 1024) continue; // the generated giants: refused for their size before any schema
                byte[] bytes = Files.readAllBytes(p);
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) continue; // an editor cannot open invalid UTF-8 as text
                texts.put(p, text);
            }
        }
        assertThat(texts.size() - bundled).as("hostile profiles").isGreaterThanOrEqualTo(60);

        Map<Path, List<YamlLanguageServer.Diagnostic>> diagnostics;
        try (YamlLanguageServer server = new YamlLanguageServer("yaml-language-server", REPO.resolve("schema/profile.schema.json"))) {
            diagnostics = server.diagnose(new ArrayList<>(texts.keySet()), texts, Duration.ofSeconds(3), Duration.ofMinutes(5));
        }
        Map<Path, Optional<AgentError>> agentErrors = agentFirstErrors(texts.keySet());

        List<String> problems = new ArrayList<>();
        int agreed = 0;
        int agentOnly = 0;
        for (Path p : texts.keySet()) {
            List<YamlLanguageServer.Diagnostic> ds = diagnostics.get(p);
            for (YamlLanguageServer.Diagnostic d : ds) {
                if (d.message() == null || !d.message().isString()) problems.add(p + ": a diagnostic message that is not a string: " + d.message());
            }
            Optional<Integer> editor = ds.stream().filter(d -> d.severity() == ERROR).map(d -> d.line() + 1).min(Comparator.naturalOrder());
            Optional<AgentError> first = agentErrors.get(p);
            Optional<Integer> agent = first.map(AgentError::line);
            boolean yamlRefusal = first.isPresent() && YAML_REFUSALS.stream().anyMatch(first.get().message()::contains);
            if (yamlRefusal && ds.stream().anyMatch(d -> d.severity() == ERROR && d.line() + 1 == first.get().line())) {
                agreed++;
                System.out.println("the agent's YAML reader refuses " + p + " at line " + agent.get() + "; the editor marks that line too");
            } else if (editor.isEmpty() && agent.isPresent()) {
                agentOnly++;
                System.out.println("only agent validate sees an error (a check no schema can state) in " + p + " at line " + agent.get());
            } else if (!editor.equals(agent)) {
                problems.add(p + ": the editor's first error is on line " + editor.map(String::valueOf).orElse("(none)")
                        + ", agent validate's on line " + agent.map(String::valueOf).orElse("(none)") + "; editor: " + ds);
            } else {
                agreed++;
            }
        }
        System.out.printf("editor and agent validate: %d profiles agree, %d with errors only the agent can see, %d disagree%n",
                agreed, agentOnly, problems.size());
        assertThat(problems).isEmpty();
    }

    private record AgentError(int line, String message) {
    }

    /** agent validate's first error for each file in a repository of its own (empty: the file is valid). */
    private Map<Path, Optional<AgentError>> agentFirstErrors(Iterable<Path> files) throws Exception {
        List<String> agent = Agents.command();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<Path, Future<Optional<AgentError>>> futures = new LinkedHashMap<>();
        try {
            int i = 0;
            for (Path p : files) {
                Path repo = Files.createDirectories(tmp.resolve("alone-" + i++));
                Path profiles = Files.createDirectories(repo.resolve("profiles"));
                Files.copy(p, profiles.resolve(p.getFileName()));
                futures.put(p, pool.submit(() -> {
                    List<String> argv = new ArrayList<>(agent);
                    argv.addAll(List.of("validate", "--repo", repo.toString(), "--worktree", "--root", repo.resolve("box").toString(),
                            "--state-dir", repo.resolve("state").toString(), "--hostname", "dev-1", "--user", "root", "--no-color"));
                    SystemTests.Result r = SystemTests.run(argv, Map.of(), repo, Duration.ofMinutes(2));
                    if (r.exitCode() == 0) return Optional.<AgentError>empty();
                    Matcher m = LOCATED.matcher(r.stderr());
                    if (!m.find()) throw new AssertionError("agent validate of " + p + " exited " + r.exitCode() + " without a located error:\n" + r.all());
                    String line = r.stderr().substring(m.start()).lines().findFirst().orElse("");
                    return Optional.of(new AgentError(Integer.parseInt(m.group(1)), line));
                }));
            }
            Map<Path, Optional<AgentError>> out = new LinkedHashMap<>();
            for (var e : futures.entrySet()) out.put(e.getKey(), e.getValue().get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Path> yamlFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
