package io.devbox.agent.kinds;

import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.ValidationCache;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.go.GoReconciler;
import io.devbox.agent.kinds.hooks.HooksReconciler;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The example profile, its pre-commit hook and the schema fragment of the go and hook kinds. */
class GoHooksExampleTest {
    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path root;
    @TempDir
    Path gitHome;

    /** Schema and semantic errors of a profile whose spec is the given flow mapping body. */
    private static List<String> validate(String specFlow) {
        return errors("apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: t}\nspec: {" + specFlow + "}\n");
    }

    private static List<String> errors(String profileYaml) {
        try {
            new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).parse(List.of(new ProfileFile("profiles/t.yaml", profileYaml.getBytes())));
            return List.of();
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }

    @Test
    void theExampleProfileMatchesTheSchema() throws Exception {
        String example = Files.readString(REPO.resolve("profiles/go-team.yaml"));
        assertThat(example).startsWith("# yaml-language-server: $schema=../schema/profile.schema.json\n").contains("name: go-team");
        assertThat(errors(example)).isEmpty();

        assertThat(validate("go: {versions: [go1.22.5]}")).isNotEmpty();
        assertThat(validate("go: {versions: [\"1.22.5\"], checksums: {\"1.22.5\": abc}}")).isNotEmpty();
        assertThat(validate("go: {versions: [\"1.22.5\"], env: {GOENV: /x}}")).isNotEmpty();
        assertThat(validate("go: {versions: [\"1.22.5\"], installdir: /x}")).isNotEmpty();
        assertThat(validate("hooks: {repos: [/x/*], hooks: {pre-comit: {content: x}}}")).isNotEmpty();
        assertThat(validate("hooks: {repos: [/x/*], hooks: {pre-commit: {file: ../x.sh}}}")).isNotEmpty();
        assertThat(validate("hooks: {repos: [/x/*], hooks: {pre-commit: {file: a.sh, content: x}}}")).isNotEmpty();
        assertThat(validate("hooks: {global: true, hooks: {commit-msg: {content: x}}}")).isEmpty();
    }

    @Test
    void bothKindsAreRegistered() {
        assertThat(Kinds.registry().newRun()).extracting(Reconciler::specKey).contains("go", "hooks");
    }

    @Test
    void theExamplesHookSectionInstallsTheTeamsPreCommitWhichRunsShellcheckAndSkipsMissingTools() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.requireCommand("bash");
        SystemTests.requireCommand("shellcheck");
        Host host = Sandboxes.host(root);
        Path repo = root.resolve("home/dev/src/api");
        git(root.resolve("home/dev/src"), "init", "-q", "api");

        // the loader (another package) expands ${home}; here it is done by hand on the example's text
        String text = Files.readString(REPO.resolve("profiles/go-team.yaml")).replace("${home}", "/home/dev");
        Node.Mapping doc = (Node.Mapping) TestNodes.yaml("profiles/go-team.yaml", text);
        Node.Mapping spec = (Node.Mapping) doc.get("spec");
        RepoFiles files = p -> Files.exists(REPO.resolve(p)) ? Optional.of(Files.readAllBytes(REPO.resolve(p))) : Optional.empty();
        DesiredContext ctx = new DesiredContext(new HostIdentity("dev-42", Map.of("team", "backend"), "dev", "/home/dev"),
                new ComposedSpec(Map.of("go", spec.get("go"), "hooks", spec.get("hooks")), List.of("go-team"), files), host);

        assertThat(new GoReconciler().desired(spec.get("go"), ctx)).extracting(DesiredResource::id)
                .containsExactly("go[1.22.5]", "go[1.21.12]", "go[default]", "go[env:GOPRIVATE]", "go[env:GOFLAGS]");

        HooksReconciler hooks = new HooksReconciler();
        var res = hooks.desired(spec.get("hooks"), ctx);
        assertThat(res).extracting(DesiredResource::id).containsExactly("hook[/home/dev/src/api:pre-commit]");
        for (var d : res) for (Change c : hooks.diff(d, hooks.probe(d, host))) hooks.apply(d, c, host);

        Files.writeString(repo.resolve("deploy.sh"), "#!/bin/sh\nrm -rf $1/tmp\n");
        Files.writeString(repo.resolve("main.go"), "package main\n\nfunc main() {}\n");
        git(repo, "add", "deploy.sh", "main.go");
        SystemTests.Result blocked = commit(repo);
        assertThat(blocked.exitCode()).isNotZero();
        assertThat(blocked.stderr()).contains("In deploy.sh line 2").contains("SC2086").contains("pre-commit: shellcheck: deploy.sh has findings");
        if (!SystemTests.which("gofumpt")) assertThat(blocked.stderr()).contains("pre-commit: gofumpt not found, skipping");
        if (!SystemTests.which("golangci-lint")) assertThat(blocked.stderr()).contains("pre-commit: golangci-lint not found, skipping");

        Files.writeString(repo.resolve("deploy.sh"), "#!/bin/sh\nrm -rf \"$1/tmp\"\n");
        git(repo, "add", "deploy.sh");
        SystemTests.Result passed = commit(repo);
        assertThat(passed.exitCode()).as(passed.all()).isZero();
        assertThat(Files.getPosixFilePermissions(repo.resolve(".git/hooks/pre-commit"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private SystemTests.Result commit(Path repo) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "commit", "-q", "-m", "x"));
        return SystemTests.run(argv, env(), repo, Duration.ofSeconds(60));
    }

    private Map<String, String> env() {
        return Map.of("HOME", gitHome.toString(), "GIT_CONFIG_NOSYSTEM", "1", "GIT_AUTHOR_NAME", "Dev",
                "GIT_AUTHOR_EMAIL", "dev@example.com", "GIT_COMMITTER_NAME", "Dev", "GIT_COMMITTER_EMAIL", "dev@example.com");
    }

    private void git(Path dir, String... args) throws Exception {
        Files.createDirectories(dir);
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        SystemTests.Result r = SystemTests.run(argv, env(), dir, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.all()).isZero();
    }
}
