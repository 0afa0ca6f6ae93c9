package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.ReconcilerDriver;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real repositories made with the git CLI, real {@code git commit} runs through the hooks the kind writes. */
class HooksReconcilerTest {
    static final String BLOCKER = "#!/bin/sh\n"
            + "if git diff --cached | grep -q FORBIDDEN; then echo 'policy: FORBIDDEN is staged' >&2; exit 1; fi\n"
            + "echo 'policy: ok' >&2\n";

    @TempDir
    Path root;
    @TempDir
    Path gitHome;
    Host host;
    final HooksReconciler reconciler = new HooksReconciler();

    @BeforeEach
    void setUp() throws Exception {
        SystemTests.requireCommand("git");
        host = Sandboxes.host(root);
        for (String repo : List.of("api", "web")) git(root.resolve("home/dev/src"), "init", "-q", repo);
        Files.createDirectories(root.resolve("home/dev/src/notes")); // not a repository: skipped
    }

    private SystemTests.Result gitResult(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Files.createDirectories(dir);
        return SystemTests.run(argv, Map.of("HOME", gitHome.toString(), "GIT_CONFIG_NOSYSTEM", "1",
                "GIT_AUTHOR_NAME", "Dev", "GIT_AUTHOR_EMAIL", "dev@example.com",
                "GIT_COMMITTER_NAME", "Dev", "GIT_COMMITTER_EMAIL", "dev@example.com"), dir, Duration.ofSeconds(30));
    }

    private String git(Path dir, String... args) throws Exception {
        SystemTests.Result r = gitResult(dir, args);
        assertThat(r.exitCode()).as("git " + String.join(" ", args) + ": " + r.all()).isZero();
        return r.stdout();
    }

    /** Stages a file with {@code content} and commits; returns the commit's result. */
    private SystemTests.Result commit(Path repo, String content) throws Exception {
        Files.writeString(repo.resolve("file.txt"), content);
        git(repo, "add", "file.txt");
        return gitResult(repo, "commit", "-q", "-m", "change");
    }

    private List<HookResource> desired(String yaml, RepoFiles files, Host h) throws ProfileException {
        var ctx = new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", h.facts().home()),
                new ComposedSpec(Map.of(), List.of("go-team"), files), h);
        return reconciler.desired(TestNodes.yaml("profiles/go-team.yaml", yaml), ctx);
    }

    private static String blockerSpec() {
        return "repos: [\"/home/dev/src/*\"]\nhooks:\n  pre-commit:\n    content: |\n"
                + BLOCKER.lines().map(l -> "      " + l + "\n").reduce("", String::concat);
    }

    private List<Change> plan(List<HookResource> resources, Host h) throws ResourceException {
        return ReconcilerDriver.plan(reconciler, resources, h);
    }

    private void converge(List<HookResource> resources, Host h) throws ResourceException {
        for (HookResource d : resources) {
            for (Change c : reconciler.diff(d, reconciler.probe(d, h))) reconciler.apply(d, c, h);
            assertThat(reconciler.diff(d, reconciler.probe(d, h))).as("re-plan of " + d.id()).isEmpty();
        }
    }

    @Test
    void theHookBlocksOrPassesRealCommitsInEverySelectedRepository() throws Exception {
        List<HookResource> res = desired(blockerSpec(), RepoFiles.NONE, host);
        assertThat(res).extracting(HookResource::id)
                .containsExactly("hook[/home/dev/src/api:pre-commit]", "hook[/home/dev/src/web:pre-commit]");
        List<Change> plan = plan(res, host);
        assertThat(plan).hasSize(2).allSatisfy(c -> {
            assertThat(c.from()).isNull();
            assertThat(c.to()).startsWith("sha256 ");
            assertThat(c.origin().shortForm()).isEqualTo("profiles/go-team.yaml:3");
        });
        converge(res, host);

        for (String name : List.of("api", "web")) {
            Path repo = root.resolve("home/dev/src/" + name);
            Path hook = repo.resolve(".git/hooks/pre-commit");
            assertThat(Files.readString(hook)).contains(HookScripts.MARKER);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hook))).isEqualTo("rwxr-xr-x");
            SystemTests.Result blocked = commit(repo, "FORBIDDEN\n");
            assertThat(blocked.exitCode()).isNotZero();
            assertThat(blocked.stderr()).contains("policy: FORBIDDEN is staged");
            assertThat(gitResult(repo, "rev-parse", "--verify", "-q", "HEAD").exitCode()).isNotZero();
            SystemTests.Result passed = commit(repo, "fine\n");
            assertThat(passed.exitCode()).as(passed.all()).isZero();
            assertThat(passed.stderr()).contains("policy: ok");
        }
        assertThat(root.resolve("home/dev/src/notes/.git")).doesNotExist();
        assertThat(plan(desired(blockerSpec(), RepoFiles.NONE, host), host)).isEmpty();
    }

    @Test
    void aForeignHookIsKeptUnderTheAgentsOwnNameRunsFirstCanFailTheCommitAndComesBackOnRemoval() throws Exception {
        Path repo = root.resolve("home/dev/src/api");
        Path hook = repo.resolve(".git/hooks/pre-commit");
        String original = "#!/bin/sh\necho 'legacy ran' >&2\nexit \"${LEGACY_EXIT:-0}\"\n";
        Files.writeString(hook, original);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<HookResource> res = desired(blockerSpec(), RepoFiles.NONE, host);
        HookResource api = res.get(0);
        assertThat(reconciler.diff(api, reconciler.probe(api, host))).singleElement()
                .extracting(Change::from).asString().startsWith("foreign hook (sha256 ").endsWith(") to be kept as pre-commit.devbox-agent-kept");
        converge(res, host);
        assertThat(Files.readString(repo.resolve(".git/hooks/pre-commit.devbox-agent-kept"))).isEqualTo(original);
        assertThat(repo.resolve(".git/hooks/pre-commit.legacy")).doesNotExist();
        // and a copy in the state dir, by repository and hook
        Path copies = new KeptCopies(host.stateDir()).dir("/home/dev/src/api", "pre-commit");
        try (var files = Files.list(copies)) {
            List<Path> kept = files.toList();
            assertThat(kept).singleElement().satisfies(p -> assertThat(Files.readString(p)).isEqualTo(original));
        }

        SystemTests.Result ok = commit(repo, "fine\n");
        assertThat(ok.exitCode()).as(ok.all()).isZero();
        assertThat(ok.stderr()).containsSubsequence("legacy ran", "policy: ok");

        // a failing kept hook fails the commit, and the agent's check does not even run
        Files.writeString(hook.resolveSibling("pre-commit.devbox-agent-kept"), original.replace("${LEGACY_EXIT:-0}", "3"));
        SystemTests.Result failed = commit(repo, "fine again\n");
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stderr()).contains("legacy ran").doesNotContain("policy:");

        // the hook leaves the profile: the agent's files go, the kept hook is back as it was
        HookResource gone = reconciler.removal(api.id(), Map.of("content@persisted", "sha256 x")).orElseThrow();
        assertThat(gone.presence().isAbsent()).isTrue();
        assertThat(reconciler.diff(gone, reconciler.probe(gone, host))).singleElement().extracting(Change::to).isNull();
        assertThat(reconciler.diff(gone, reconciler.probe(gone, host))).singleElement().extracting(Change::op)
                .isInstanceOf(HookOp.Uninstall.class);
        converge(List.of(gone), host);
        assertThat(Files.readString(hook)).isEqualTo(original.replace("${LEGACY_EXIT:-0}", "3"));
        assertThat(hook.resolveSibling("pre-commit.devbox-agent-kept")).doesNotExist();
        assertThat(hook.resolveSibling("pre-commit.devbox-agent")).doesNotExist();
        // a removal never touches a hook that is not the agent's
        assertThat(reconciler.diff(gone, reconciler.probe(gone, host))).isEmpty();
    }

    @Test
    void aHandEditedManagedHookShowsAsAChangeFromWhatWasApplied() throws Exception {
        List<HookResource> res = desired(blockerSpec(), RepoFiles.NONE, host);
        HookResource api = res.get(0);
        converge(res, host);
        String applied = HookScripts.expectedFingerprint("pre-commit", false, HookScripts.Position.HOOK, BLOCKER);
        Path payload = root.resolve("home/dev/src/api/.git/hooks/pre-commit.devbox-agent");
        Files.writeString(payload, "#!/bin/sh\nexit 0 # skip the checks\n");
        List<Change> drift = reconciler.diff(api, reconciler.probe(api, host));
        assertThat(drift).singleElement().satisfies(c -> {
            assertThat(c.from()).startsWith("sha256 ").isNotEqualTo(applied);
            assertThat(c.to()).isEqualTo(applied);
            // what a plan shows as the diff: the hand-edited payload against the profile's content
            assertThat(c.content()).isEqualTo(new Change.Content("#!/bin/sh\nexit 0 # skip the checks\n", BLOCKER));
            assertThat(c.op()).isEqualTo(new HookOp.Install(c.from(), applied, "#!/bin/sh\nexit 0 # skip the checks\n", BLOCKER));
        });
        converge(res, host);
        Files.setPosixFilePermissions(root.resolve("home/dev/src/api/.git/hooks/pre-commit"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(reconciler.diff(api, reconciler.probe(api, host))).singleElement()
                .extracting(Change::from).isEqualTo(applied + ", not executable");
        converge(res, host);
        assertThat(commit(root.resolve("home/dev/src/api"), "FORBIDDEN").exitCode()).isNotZero();
    }

    @Test
    void aGlobalCoreHooksPathOfTheDeveloperIsAWarningOnEveryRepoHook() throws Exception {
        Files.createDirectories(root.resolve("home/dev"));
        Files.writeString(root.resolve("home/dev/.gitconfig"), "[core]\n\thooksPath = ~/my-hooks\n");
        assertThat(desired(blockerSpec(), RepoFiles.NONE, host)).hasSize(2).allSatisfy(r -> assertThat(r.warnings())
                .singleElement().asString().contains("core.hooksPath=~/my-hooks"));
        assertThat(reconciler.unsupported(host)).isEmpty();
    }

    @Test
    void aRepositoryLevelCoreHooksPathIsRespected() throws Exception {
        Path repo = root.resolve("home/dev/src/web");
        git(repo, "config", "core.hooksPath", ".githooks");
        converge(desired(blockerSpec(), RepoFiles.NONE, host), host);
        assertThat(repo.resolve(".githooks/pre-commit")).exists();
        assertThat(repo.resolve(".git/hooks/pre-commit")).doesNotExist();
        SystemTests.Result blocked = commit(repo, "FORBIDDEN\n");
        assertThat(blocked.exitCode()).isNotZero();
        assertThat(blocked.stderr()).contains("policy: FORBIDDEN is staged");
    }

    @Test
    void globalModeSetsCoreHooksPathWithAWarningAndHooksRunForEveryRepository() throws Exception {
        // root "/" with the developer's home in a temp dir: the paths git sees are the paths the agent writes
        Path home = gitHome;
        Host real = Sandboxes.host(Path.of("/"), "dev", home.toString());
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = Dev\n[alias]\n\tst = status\n");
        List<HookResource> res = desired("global: true\nhooks:\n  pre-commit:\n    content: |\n"
                + BLOCKER.lines().map(l -> "      " + l + "\n").reduce("", String::concat), RepoFiles.NONE, real);
        assertThat(res).extracting(HookResource::id).containsExactly("hook[global:pre-commit]", "hook[global]");
        assertThat(res.get(1).warnings()).anyMatch(w -> w.contains("pre-commit framework refuses"));
        assertThat(res.get(1).dependsOn()).containsExactly("hook[global:pre-commit]");
        converge(res, real);
        String managed = home.resolve(".config/devbox-agent/git-hooks").toString();
        assertThat(git(home, "config", "--global", "core.hooksPath").strip()).isEqualTo(managed);
        assertThat(Files.readString(home.resolve(".gitconfig"))).contains("[alias]").contains("st = status");

        Path repo = root.resolve("elsewhere/app");
        git(root.resolve("elsewhere"), "init", "-q", "app");
        // the repository's own hook still runs (core.hooksPath would silence it otherwise)
        Files.writeString(repo.resolve(".git/hooks/pre-commit"), "#!/bin/sh\necho 'repo hook ran' >&2\n");
        Files.setPosixFilePermissions(repo.resolve(".git/hooks/pre-commit"), PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemTests.Result blocked = commit(repo, "FORBIDDEN\n");
        assertThat(blocked.exitCode()).isNotZero();
        assertThat(blocked.stderr()).containsSubsequence("repo hook ran", "policy: FORBIDDEN is staged");

        HookResource unset = reconciler.removal("hook[global]", Map.of("core.hooksPath@persisted", managed)).orElseThrow();
        HookResource hookGone = reconciler.removal("hook[global:pre-commit]", Map.of()).orElseThrow();
        assertThat(reconciler.diff(unset, reconciler.probe(unset, real))).singleElement().extracting(Change::op)
                .isEqualTo(new HookOp.UnsetHooksPath(managed));
        converge(List.of(unset, hookGone), real);
        assertThat(gitResult(home, "config", "--global", "core.hooksPath").exitCode()).isEqualTo(1);
        assertThat(Path.of(managed, "pre-commit")).doesNotExist();
        assertThat(commit(repo, "FORBIDDEN\n").exitCode()).isZero();
    }

    @Test
    void fileReferencesAreReadFromTheProfileRepository() throws Exception {
        Path profileRepo = root.resolve("profile-repo");
        Files.createDirectories(profileRepo.resolve("hooks"));
        Files.writeString(profileRepo.resolve("hooks/pre-commit.sh"), BLOCKER);
        RepoFiles files = p -> Files.exists(profileRepo.resolve(p)) ? Optional.of(Files.readAllBytes(profileRepo.resolve(p))) : Optional.empty();
        List<HookResource> res = desired("repos: [/home/dev/src/api]\nhooks: {pre-commit: {file: hooks/pre-commit.sh}}\n", files, host);
        assertThat(res).singleElement().extracting(r -> ((HookResource.Hook) r).content()).isEqualTo(BLOCKER);
        converge(res, host);
        assertThat(commit(root.resolve("home/dev/src/api"), "FORBIDDEN").exitCode()).isNotZero();
    }

    @Test
    void semanticErrorsAreLocated() {
        RepoFiles files = p -> Optional.empty();
        assertThatThrownBy(() -> desired("repos: [\"src/*\", \"/home/**/x\"]\nhooks:\n  pre-commit: {content: x}\n"
                + "  commit-msg: {file: ../secrets}\n  pre-push: {file: hooks/none.sh}\n", files, host))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render).containsExactly(
                        "profiles/go-team.yaml:1:9: hooks.repos: must be an absolute path: src/*",
                        "profiles/go-team.yaml:1:18: hooks.repos: '**' is not supported; use one '*' per directory level: /home/**/x",
                        "profiles/go-team.yaml:4:22: hooks.hooks.commit-msg.file must stay inside the profile repository: path may not contain '..': ../secrets",
                        "profiles/go-team.yaml:5:20: hooks.hooks.pre-push.file: hooks/none.sh does not exist in the profile repository"));
        // hook names, exactly one of content and file, and repos unless global are the schema's (kinds/SchemaRulesTest)
    }

    @Test
    void everyWrapperIsPosixShAndShellcheckClean() throws Exception {
        SystemTests.requireCommand("shellcheck");
        List<String> argv = new ArrayList<>(List.of("shellcheck", "--shell=sh", "--severity=style", "--format=gcc"));
        for (String name : HookScripts.NAMES) {
            for (boolean global : List.of(false, true)) {
                for (HookScripts.Position position : HookScripts.Position.values()) {
                    Path f = root.resolve("w-" + name + "-" + global + "-" + position);
                    Files.writeString(f, HookScripts.wrapper(name, global, position), StandardCharsets.UTF_8);
                    assertThat(SystemTests.run(List.of("dash", "-n", f.toString()), Map.of(), null, Duration.ofSeconds(10)).exitCode()).isZero();
                    argv.add(f.toString());
                }
            }
        }
        SystemTests.Result r = SystemTests.run(argv, Map.of(), null, Duration.ofSeconds(120));
        assertThat(r.all()).as("shellcheck findings").isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void stdinHooksGiveEachChainedHookItsOwnCopy() throws Exception {
        Path dir = root.resolve("hooks");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pre-push"), HookScripts.wrapper("pre-push", false, HookScripts.Position.HOOK));
        Files.writeString(dir.resolve("pre-push.devbox-agent-kept"), "#!/bin/sh\nsed \"s/^/kept $*: /\" >&2\n");
        Files.writeString(dir.resolve("pre-push.devbox-agent"), "#!/bin/sh\nsed \"s/^/agent $*: /\" >&2\n");
        Files.writeString(dir.resolve("pre-push.devbox-agent-manager"), "#!/bin/sh\nsed \"s/^/manager $(basename \"$0\") $*: /\" >&2\n");
        for (String f : List.of("pre-push", "pre-push.devbox-agent-kept", "pre-push.devbox-agent")) {
            Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // run as git may (a relative $0), with a CDPATH that would make a plain cd print the directory
        SystemTests.Result r = SystemTests.run(List.of("sh", "-c", "printf 'refs/heads/main 1 refs/heads/main 2\\n' | hooks/pre-push origin url"),
                Map.of("CDPATH", root.toString()), root, Duration.ofSeconds(10));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).isEqualTo("kept origin url: refs/heads/main 1 refs/heads/main 2\n"
                + "agent origin url: refs/heads/main 1 refs/heads/main 2\n"
                + "manager pre-push origin url: refs/heads/main 1 refs/heads/main 2\n");
    }

    @Test
    void nonRepositoriesAndMissingGlobsYieldNothing() throws Exception {
        assertThat(desired("repos: [/home/dev/src/notes, /nowhere/*]\nhooks: {pre-commit: {content: x}}\n", RepoFiles.NONE, host)).isEmpty();
        Files.createDirectories(root.resolve("home/dev/src/.hidden/.git"));
        assertThat(desired(blockerSpec(), RepoFiles.NONE, host)).hasSize(2);
    }

}
