package io.devbox.agent.kinds.hooks;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's hook beside the real hook managers, in both install orders, with a hand-written hook in every
 * repository: the pre-commit framework from Debian, husky 9 and lefthook from npm, run by the developer (a real account)
 * in real repositories, the agent through its built jar. Every {@code git commit} runs in a pids cgroup (v1) limited to
 * 200 tasks and must finish within 20 s, so a hook that recursed would fail the test instead of the machine. Each hook
 * appends its name to a marker file: a commit must run each one exactly once, in the stated order. Removing the hook
 * from the profile must leave the hooks directories byte-identical to a repository where the same steps ran without
 * the agent.
 * <p>
 * One class for all the scenarios (so longer than most): npm installs the tools and the cgroup is made once for them.
 */
class HookManagersSystemTest {
    static final String HUSKY = "9.1.7";
    static final String LEFTHOOK = "2.2.1";
    static final String DEV_HOOK = "#!/bin/sh\necho dev >> \"$MARKS\"\n";
    static final String PROFILE = "hooks:\n  repos: [\"${home}/src/*\"]\n  hooks:\n    pre-commit:\n      content: |\n"
            + "        #!/bin/sh\n        echo agent >> \"$MARKS\"\n";
    static final String PRE_COMMIT_CONFIG = "repos:\n- repo: local\n  hooks:\n  - id: mark\n    name: mark\n"
            + "    entry: sh -c 'echo pre-commit >> \"$MARKS\"' --\n    language: system\n    pass_filenames: false\n    always_run: true\n";
    static final String LEFTHOOK_YML = "pre-commit:\n  commands:\n    mark:\n      run: echo lefthook >> \"$MARKS\"\n";

    /** The hook managers, each with how a developer installs it and the marker its hooks leave. */
    enum Manager {
        PRE_COMMIT("pre-commit"), HUSKY("husky"), LEFTHOOK("lefthook"), NONE(null);

        final String mark;

        Manager(String mark) {
            this.mark = mark;
        }
    }

    @TempDir
    static Path tools;
    static Path nodeBin;
    static Path cgroup;

    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;
    Path marks;

    @BeforeAll
    static void tools() throws Exception {
        SystemTests.requireRoot();
        for (String c : List.of("git", "pre-commit", "npm", "node")) SystemTests.requireCommand(c);
        SystemTests.require(Files.isDirectory(Path.of("/sys/fs/cgroup/pids")), "the cgroup v1 pids controller is not mounted at /sys/fs/cgroup/pids");
        Files.setPosixFilePermissions(tools, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tools.resolve("package.json"), "{\"private\": true}\n");
        SystemTests.Result npm = SystemTests.run(List.of("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "-E",
                "husky@" + HUSKY, "lefthook@" + LEFTHOOK), Map.of("npm_config_update_notifier", "false"), tools, Duration.ofMinutes(5));
        SystemTests.require(npm.exitCode() == 0, "npm install husky@" + HUSKY + " lefthook@" + LEFTHOOK + " failed: " + npm.all());
        nodeBin = tools.resolve("node_modules/.bin");
        SystemTests.sh(List.of("chmod", "-R", "a+rX", tools.toString()));
        cgroup = Path.of("/sys/fs/cgroup/pids/devbox-hooks-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 20));
        Files.createDirectory(cgroup);
        Files.writeString(cgroup.resolve("pids.max"), "200");
    }

    @AfterAll
    static void removeCgroup() throws Exception {
        if (cgroup == null || !Files.isDirectory(cgroup)) return;
        killAllIn(cgroup);
        Files.delete(cgroup);
    }

    private static void killAllIn(Path cg) throws IOException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            List<String> pids = Files.readAllLines(cg.resolve("cgroup.procs"));
            if (pids.isEmpty()) return;
            for (String pid : pids) ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            Thread.sleep(100);
        }
    }

    @BeforeEach
    void box() throws Exception {
        box = UserBox.create(root, work);
        box.asUser("mkdir", "-p", box.home.resolve("src").toString(), box.home.resolve("ref").toString(), box.home.resolve("marks").toString());
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    /** The developer's environment: node's tools on PATH, the marker file, who commits. */
    private Map<String, String> env(Path markFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", box.home.toString());
        env.put("USER", box.user.name());
        env.put("PATH", nodeBin + ":/usr/local/bin:/usr/bin:/bin");
        env.put("MARKS", markFile.toString());
        env.put("GIT_AUTHOR_NAME", "Dev");
        env.put("GIT_AUTHOR_EMAIL", "dev@example.com");
        env.put("GIT_COMMITTER_NAME", "Dev");
        env.put("GIT_COMMITTER_EMAIL", "dev@example.com");
        env.put("NO_COLOR", "1");
        return env;
    }

    /** Runs a developer's command in {@code repo}, as the developer. */
    private SystemTests.Result dev(Path repo, String... argv) throws Exception {
        return SystemTests.run(box.user.as(List.of(argv)), env(box.home.resolve("marks/" + repo.getFileName())), repo, Duration.ofMinutes(2));
    }

    private void devOk(Path repo, String... argv) throws Exception {
        SystemTests.Result r = dev(repo, argv);
        assertThat(r.exitCode()).as("%s in %s: %s", List.of(argv), repo, r.all()).isZero();
    }

    /** A repository with a hand-written pre-commit hook and the manager's config committed. */
    private Path repo(Path parent, String name, Manager m) throws Exception {
        Path repo = parent.resolve(name);
        box.asUser("git", "init", "-q", repo.toString());
        Path hook = repo.resolve(".git/hooks/pre-commit");
        box.asUser("sh", "-c", "printf '%s' \"$1\" > \"$2\" && chmod 755 \"$2\"", "sh", DEV_HOOK, hook.toString());
        switch (m) {
            case PRE_COMMIT -> writeAsDev(repo.resolve(".pre-commit-config.yaml"), PRE_COMMIT_CONFIG);
            case LEFTHOOK -> writeAsDev(repo.resolve("lefthook.yml"), LEFTHOOK_YML);
            case HUSKY -> {
                box.asUser("mkdir", "-p", repo.resolve(".husky").toString());
                writeAsDev(repo.resolve(".husky/pre-commit"), "echo husky >> \"$MARKS\"\n");
            }
            case NONE -> {
            }
        }
        return repo;
    }

    private void writeAsDev(Path file, String content) throws Exception {
        box.asUser("sh", "-c", "printf '%s' \"$1\" > \"$2\"", "sh", content, file.toString());
    }

    private void install(Path repo, Manager m) throws Exception {
        switch (m) {
            case PRE_COMMIT -> devOk(repo, "pre-commit", "install");
            case HUSKY -> devOk(repo, nodeBin.resolve("husky").toString());
            case LEFTHOOK -> devOk(repo, nodeBin.resolve("lefthook").toString(), "install");
            case NONE -> {
            }
        }
    }

    /**
     * Stages a change and commits as the developer inside the pids-limited cgroup; the commit must succeed within 20 s.
     * Returns the hooks that ran, in order.
     */
    private List<String> commit(Path repo) throws Exception {
        SystemTests.Result r = limitedCommit(repo);
        assertThat(r.exitCode()).as("git commit in %s: %s", repo, r.all()).isZero();
        Path markFile = box.home.resolve("marks/" + repo.getFileName());
        return Files.exists(markFile) ? Files.readAllLines(markFile) : List.of();
    }

    /** A commit in the pids-limited cgroup, which must end within 20 s whatever its hooks do. */
    private SystemTests.Result limitedCommit(Path repo) throws Exception {
        Path markFile = box.home.resolve("marks/" + repo.getFileName());
        Files.deleteIfExists(markFile);
        writeAsDev(repo.resolve("file-" + System.nanoTime() + ".txt"), "change\n");
        devOk(repo, "git", "add", "-A");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.resolve("cgroup.procs").toString()));
        argv.addAll(box.user.as(List.of("git", "commit", "-q", "-m", "change")));
        SystemTests.Result r;
        try {
            r = SystemTests.run(argv, env(markFile), repo, Duration.ofSeconds(20));
        } finally {
            killAllIn(cgroup);
        }
        return r;
    }

    private SystemTests.Result agent(String... args) throws Exception {
        box.env("PATH", nodeBin + ":/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return box.agent(args);
    }

    private void apply() throws Exception {
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        SystemTests.Result plan = agent("plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.all()).as("a second plan after apply").doesNotContain("hook[");
    }

    /** The files of the repository's hooks directories: name, mode and sha256 of each. */
    private static Map<String, String> hooks(Path repo) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path dir : List.of(repo.resolve(".git/hooks"), repo.resolve(".husky"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                    out.put(repo.relativize(p).toString(), mode + " " + sha(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the hooks of a repository are when the same steps ran without the agent, and what a commit then runs. */
    private record Reference(Map<String, String> hooks, List<String> marks) {
    }

    private Reference reference(Manager m) throws Exception {
        Path ref = repo(box.home.resolve("ref"), "ref-" + m.name().toLowerCase(), m);
        install(ref, m);
        return new Reference(hooks(ref), commit(ref));
    }

    private void removeHookFromProfile() throws Exception {
        box.profile("hooks", "{}");
        SystemTests.Result r = agent("apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Manager.class)
    void managerFirstThenTheAgent(Manager m) throws Exception {
        Reference ref = reference(m);
        Path repo = repo(box.home.resolve("src"), "app", m);
        install(repo, m);
        box.profile("hooks", PROFILE);
        apply();
        List<String> ran = commit(repo);
        List<String> expected = new ArrayList<>(ref.marks());
        int at = m.mark == null ? expected.size() : expected.indexOf(m.mark);
        expected.add(at, "agent");
        assertThat(ran).as("hooks run by one commit (without the agent: %s)", ref.marks()).isEqualTo(expected);
        // a manager re-installing itself later must not break the commit either
        install(repo, m);
        assertThat(commit(repo)).contains(m.mark == null ? "agent" : m.mark).doesNotHaveDuplicates();
        apply();
        assertThat(commit(repo)).isEqualTo(expected);

        removeHookFromProfile();
        assertThat(hooks(repo)).isEqualTo(ref.hooks());
        assertThat(commit(repo)).isEqualTo(ref.marks());
    }

    @ParameterizedTest
    @EnumSource(value = Manager.class, names = {"PRE_COMMIT", "HUSKY", "LEFTHOOK"})
    void agentFirstThenTheManager(Manager m) throws Exception {
        Reference ref = reference(m);
        Path repo = repo(box.home.resolve("src"), "app", m);
        box.profile("hooks", PROFILE);
        apply();
        assertThat(commit(repo)).containsExactly("dev", "agent");

        install(repo, m);
        // until the next apply: the commit works and runs nothing twice
        List<String> between = commit(repo);
        assertThat(between).doesNotHaveDuplicates().contains(m.mark);
        // the plan names what happened (in full in --json; the text plan shows its start)
        SystemTests.Result plan = agent("plan", "--json");
        assertThat(plan.stdout()).contains(switch (m) {
            case PRE_COMMIT -> "moved to pre-commit.legacy by pre-commit install";
            case HUSKY -> "husky's script (sha256 ";
            case LEFTHOOK -> "replaced by lefthook install with lefthook's script";
            case NONE -> throw new IllegalStateException();
        });
        if (m == Manager.HUSKY) {
            assertThat(plan.stdout()).contains("the agent's hook left in /home/" + box.user.name() + "/src/app/.git/hooks no longer runs"
                    + " (core.hooksPath is /home/" + box.user.name() + "/src/app/.husky/_): to be removed there");
        }
        apply();
        List<String> ran = commit(repo);
        // the developer's hook the agent kept still runs, except under husky, which never runs .git/hooks
        List<String> expected = m == Manager.HUSKY ? List.of("agent", "husky") : List.of("dev", "agent", m.mark);
        assertThat(ran).isEqualTo(expected);

        removeHookFromProfile();
        assertThat(hooks(repo)).isEqualTo(ref.hooks());
        assertThat(commit(repo)).isEqualTo(ref.marks());
    }

    /** The wrapper of the agent before this change (marker v1): it ran {@code <hook>.legacy} without a guard. */
    static final String V1_WRAPPER = "#!/bin/sh\n# devbox-agent-managed-hook: v1\n"
            + "# Written by devbox-agent from the team's profiles. Local edits are reported as drift and undone by\n"
            + "# the next apply; a hook that was here before is kept as pre-commit.legacy and runs first.\n"
            + "hookdir=$(dirname -- \"$0\")\nrun() { \"$@\"; }\n"
            + "if [ -x \"$hookdir/pre-commit.legacy\" ]; then\n  run \"$hookdir/pre-commit.legacy\" \"$@\" || exit $?\nfi\n"
            + "run \"$hookdir/pre-commit.devbox-agent\" \"$@\"\n";

    @Test
    void theRecursionAnEarlierAgentLeftIsContainedByTheLimitAndRepairedByApply() throws Exception {
        Path repo = repo(box.home.resolve("src"), "app", Manager.PRE_COMMIT);
        Path hooks = repo.resolve(".git/hooks");
        // the issue's second case: the earlier agent's hook, then `pre-commit install` moves it to .legacy, where it runs itself
        writeAsDev(hooks.resolve("pre-commit"), V1_WRAPPER);
        writeAsDev(hooks.resolve("pre-commit.devbox-agent"), "#!/bin/sh\necho agent >> \"$MARKS\"\n");
        box.asUser("chmod", "755", hooks.resolve("pre-commit").toString(), hooks.resolve("pre-commit.devbox-agent").toString());
        install(repo, Manager.PRE_COMMIT);
        assertThat(Files.readString(hooks.resolve("pre-commit.legacy"))).isEqualTo(V1_WRAPPER);
        SystemTests.Result bomb = limitedCommit(repo);
        assertThat(bomb.exitCode()).as("the recursing hook fails the commit (within 20 s, in 200 tasks)").isNotZero();

        box.profile("hooks", PROFILE);
        SystemTests.Result plan = agent("plan", "--json");
        assertThat(plan.stdout()).contains("an earlier devbox-agent's hook (no recursion guard) at pre-commit.legacy");
        apply();
        assertThat(commit(repo)).containsExactly("agent", "pre-commit");
        assertThat(Files.readString(hooks.resolve("pre-commit.legacy"))).contains(HookScripts.MARKER, HookScripts.GUARD_ENV);
    }

    @Test
    void commitMsgAndPrePushReachTheAgentsHookAndHuskysIntact() throws Exception {
        Path repo = repo(box.home.resolve("src"), "app", Manager.HUSKY);
        Path out = box.home.resolve("marks");
        writeAsDev(repo.resolve(".husky/commit-msg"), "cp \"$1\" \"$HOME/marks/husky-msg\"\n");
        writeAsDev(repo.resolve(".husky/pre-push"), "{ echo \"$*\"; cat; } > \"$HOME/marks/husky-push\"\n");
        install(repo, Manager.HUSKY);
        box.profile("hooks", "hooks:\n  repos: [\"${home}/src/*\"]\n  hooks:\n"
                + "    commit-msg:\n      content: |\n        #!/bin/sh\n        cp \"$1\" \"$HOME/marks/agent-msg\"\n"
                + "    pre-push:\n      content: |\n        #!/bin/sh\n        { echo \"$*\"; cat; } > \"$HOME/marks/agent-push\"\n");
        apply();
        assertThat(commit(repo)).containsExactly("husky"); // husky's pre-commit, untouched by a profile without one
        String message = "Subject with 'quotes' and $dollars\n\nBody line\n";
        Path msgFile = out.resolve("message.txt");
        writeAsDev(msgFile, message);
        writeAsDev(repo.resolve("more.txt"), "more\n");
        devOk(repo, "git", "add", "-A");
        devOk(repo, "git", "commit", "-q", "--cleanup=verbatim", "-F", msgFile.toString());
        assertThat(Files.readString(out.resolve("agent-msg"))).isEqualTo(message);
        assertThat(Files.readString(out.resolve("husky-msg"))).isEqualTo(message);

        Path bare = box.home.resolve("ref/bare.git");
        box.asUser("git", "init", "-q", "--bare", bare.toString());
        devOk(repo, "git", "remote", "add", "origin", bare.toString());
        devOk(repo, "git", "push", "-q", "origin", "HEAD:refs/heads/main");
        String head = dev(repo, "git", "rev-parse", "HEAD").stdout().strip();
        String expected = "origin " + bare + "\nHEAD " + head + " refs/heads/main " + "0".repeat(40) + "\n";
        assertThat(Files.readString(out.resolve("agent-push"))).isEqualTo(expected);
        assertThat(Files.readString(out.resolve("husky-push"))).isEqualTo(expected);
    }

    @Test
    void lefthookUninstallTakesItsScriptsAlongAndTheNextApplyKeepsTheHookItPutBack() throws Exception {
        Path repo = repo(box.home.resolve("src"), "app", Manager.LEFTHOOK);
        install(repo, Manager.LEFTHOOK); // the developer's hook goes to lefthook's .old
        box.profile("hooks", PROFILE);
        apply();
        assertThat(commit(repo)).containsExactly("agent", "lefthook");
        // lefthook removes every file naming LEFTHOOK (the wrapper, the agent's copy of its script) and puts .old back
        devOk(repo, nodeBin.resolve("lefthook").toString(), "uninstall");
        Path hooks = repo.resolve(".git/hooks");
        assertThat(hooks.resolve("pre-commit.devbox-agent-manager")).doesNotExist();
        assertThat(Files.readString(hooks.resolve("pre-commit"))).isEqualTo(DEV_HOOK);
        assertThat(commit(repo)).containsExactly("dev");
        apply();
        assertThat(commit(repo)).containsExactly("dev", "agent");
    }
}
