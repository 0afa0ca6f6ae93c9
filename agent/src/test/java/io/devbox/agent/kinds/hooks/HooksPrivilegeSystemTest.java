package io.devbox.agent.kinds.hooks;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static io.devbox.agent.testing.UserBox.assertCleanError;
import static io.devbox.agent.testing.UserBox.uidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks kind against a developer attacking the root agent from their own account, through the built jar: a
 * repository whose core.hooksPath (or .git/hooks link) leads into /etc/cron.daily, a ~/.gitconfig linked to a root-only
 * file, a 3 GB sparse hook; and the proof that git runs against the developer's repository as the developer.
 */
class HooksPrivilegeSystemTest {
    private static final String HOOKS = "hooks:\n  repos: [\"${home}/src/*\"]\n  hooks:\n    pre-commit: {content: \"#!/bin/sh\\nexit 0\\n\"}\n";

    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;
    Path cron;

    @BeforeEach
    void box() throws Exception {
        box = UserBox.create(root, work);
        cron = Files.createDirectories(root.resolve("etc/cron.daily"));
        Files.writeString(cron.resolve("pre-commit"), "#!/bin/sh\n# root's nightly job\n");
        Files.writeString(cron.resolve("logrotate"), "#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n");
        box.asUser("mkdir", "-p", box.home.resolve("src").toString());
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    private Path repo(String name) throws Exception {
        Path repo = box.home.resolve("src/" + name);
        box.asUser("git", "init", "-q", repo.toString());
        return repo;
    }

    @Test
    void aCoreHooksPathIntoCronDailyMakesRootWriteNothingThere() throws Exception {
        Path repo = repo("api");
        box.asUser("git", "-C", repo.toString(), "config", "core.hooksPath", cron.toString());
        box.profile("hooks", HOOKS);
        String before = TreeHash.of(cron);
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertCleanError(apply, "hook[/home/" + box.user.name() + "/src/api:pre-commit]",
                "is /etc/cron.daily, which is not in a tree the repository's owner (uid " + box.user.uid() + ") controls");
        assertThat(TreeHash.of(cron)).isEqualTo(before);
    }

    @Test
    void aGitHooksLinkIntoCronDailyIsNotFollowed() throws Exception {
        Path repo = repo("api");
        box.asUser("rm", "-rf", repo.resolve(".git/hooks").toString());
        box.asUser("ln", "-s", cron.toString(), repo.resolve(".git/hooks").toString());
        box.profile("hooks", HOOKS);
        String before = TreeHash.of(cron);
        // git (run as the developer) resolves the link; where it leads is not the developer's tree
        String refused = "is /etc/cron.daily, which is not in a tree the repository's owner (uid " + box.user.uid() + ") controls";
        SystemTests.Result plan = box.agent("plan");
        assertCleanError(plan, "hook[/home/" + box.user.name() + "/src/api:pre-commit]", refused);
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertCleanError(apply, refused);
        assertThat(TreeHash.of(cron)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(repo.resolve(".git/hooks"))).isTrue();
    }

    @Test
    void aGlobalGitconfigLinkedToARootOnlyFileIsNeitherReadNorReplaced() throws Exception {
        box.asUser("ln", "-s", root.resolve("etc/shadow").toString(), box.home.resolve(".gitconfig").toString());
        box.profile("hooks", "hooks:\n  global: true\n  hooks:\n    pre-commit: {content: \"#!/bin/sh\\nexit 0\\n\"}\n");
        String shadow = TreeHash.of(root.resolve("etc/shadow"));
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertCleanError(apply, "hook[global]", "/home/" + box.user.name() + "/.gitconfig is a symbolic link");
        assertThat(apply.all()).doesNotContain("NOT-FOR-USERS");
        assertThat(Files.isSymbolicLink(box.home.resolve(".gitconfig"))).isTrue();
        assertThat(TreeHash.of(root.resolve("etc/shadow"))).isEqualTo(shadow);
        // the managed hooks directory was made for the developer, by the developer's own mkdir
        Path managed = box.home.resolve(".config/devbox-agent/git-hooks");
        for (Path p : List.of(box.home.resolve(".config"), managed, managed.resolve("pre-commit"))) {
            assertThat(uidOf(p)).as(p.toString()).isEqualTo(box.user.uid());
        }
    }

    @Test
    void aThreeGigabyteSparseHookIsAResourceErrorNotAnOutOfMemory() throws Exception {
        Path big = repo("big");
        repo("small");
        box.asUser("truncate", "-s", "3G", big.resolve(".git/hooks/pre-commit").toString());
        box.asUser("chmod", "755", big.resolve(".git/hooks/pre-commit").toString());
        box.profile("hooks", HOOKS);
        box.jvm("-Xmx64m");
        for (String command : List.of("plan", "apply")) {
            SystemTests.Result r = command.equals("plan") ? box.agent("plan") : box.agent("apply", "--yes");
            assertCleanError(r, "hook[/home/" + box.user.name() + "/src/big:pre-commit]", "/home/" + box.user.name()
                    + "/src/big/.git/hooks/pre-commit is 3.0 GiB, more than the 256.0 KiB a hook may have");
        }
        assertThat(Files.size(big.resolve(".git/hooks/pre-commit"))).isEqualTo(3L << 30);
        Path small = box.home.resolve("src/small/.git/hooks/pre-commit");
        assertThat(Files.readString(small)).contains(HookScripts.MARKER);
        assertThat(uidOf(small)).as("a hook the agent writes belongs to the repository's owner").isEqualTo(box.user.uid());
    }

    @Test
    void gitRunsAgainstTheDevelopersRepositoryAsTheDeveloper() throws Exception {
        repo("api");
        Path tools = Files.createDirectories(root.resolve("tools"));
        Path log = tools.resolve("git.log");
        Files.writeString(log, "");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path git = tools.resolve("git");
        Files.writeString(git, "#!/bin/sh\necho \"$(id -u) $*\" >> " + log + "\nexec /usr/bin/git \"$@\"\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        box.env("PATH", tools + ":/usr/sbin:/usr/bin:/sbin:/bin");
        box.profile("hooks", HOOKS);
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        List<String> revParse = Files.readAllLines(log).stream().filter(l -> l.contains("rev-parse")).toList();
        assertThat(revParse).isNotEmpty().allMatch(l -> l.startsWith(box.user.uid() + " "), "run as uid " + box.user.uid());
        Path hook = box.home.resolve("src/api/.git/hooks/pre-commit");
        assertThat(uidOf(hook)).isEqualTo(box.user.uid());
        assertThat(uidOf(box.home.resolve("src/api/.git/hooks/pre-commit.devbox-agent"))).isEqualTo(box.user.uid());
    }
}
