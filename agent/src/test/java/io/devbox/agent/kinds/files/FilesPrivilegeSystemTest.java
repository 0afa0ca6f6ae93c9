package io.devbox.agent.kinds.files;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UserBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.devbox.agent.testing.UserBox.assertCleanError;
import static io.devbox.agent.testing.UserBox.uidOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files kind in a real unprivileged developer's home, through the built jar running as root: the developer's own
 * file gets the agent's block and stays theirs; a hand edit is drift; links the developer plants (the file itself, a
 * directory on the way) never make root read or write where they lead.
 */
class FilesPrivilegeSystemTest {
    private static final String BLOCK = "files:\n  \"${home}/.bashrc\": {blocks: {go-path: \"export GOPATH=\\\"$HOME/go\\\"\"}}\n";

    @TempDir
    Path root;
    @TempDir
    Path work;
    UserBox box;

    @BeforeEach
    void box() throws Exception {
        box = UserBox.create(root, work);
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    @Test
    void aBlockInTheDevelopersFileStaysTheirsAndAHandEditIsDrift() throws Exception {
        Path bashrc = box.home.resolve(".bashrc");
        box.asUser("sh", "-c", "printf '# mine\\nalias ll=\"ls -l\"\\n' > .bashrc");
        Path inputrc = box.home.resolve(".inputrc");
        box.asUser("sh", "-c", "printf 'set bell-style none\\n' > .inputrc && chmod 600 .inputrc");
        box.profile("files", BLOCK + "  \"${home}/.config/devbox/env.sh\": {content: \"export A=1\\n\"}\n"
                + "  \"${home}/.inputrc\": {content: \"set editing-mode vi\\n\", mode: \"0644\"}\n");
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(Files.readString(bashrc)).isEqualTo("# mine\nalias ll=\"ls -l\"\n# BEGIN devbox-agent go-path\n"
                + "export GOPATH=\"$HOME/go\"\n# END devbox-agent go-path\n");
        assertThat(Files.readString(inputrc)).isEqualTo("set editing-mode vi\n");
        for (Path p : List.of(bashrc, inputrc, box.home.resolve(".config"), box.home.resolve(".config/devbox"), box.home.resolve(".config/devbox/env.sh"))) {
            assertThat(uidOf(p)).as(p.toString()).isEqualTo(box.user.uid());
        }
        SystemTests.Result again = box.agent("plan", "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.all()).isZero();

        box.asUser("sed", "-i", "s|$HOME/go|/opt/go|", bashrc.toString());
        SystemTests.Result drift = box.agent("drift");
        assertThat(drift.exitCode()).as(drift.all()).isEqualTo(2);
        assertThat(drift.stdout()).contains("file[/home/" + box.user.name() + "/.bashrc]", "block go-path");

        // the entries leave the profiles: the block goes, the developer's lines stay; the file the agent created goes
        box.profile("files", "{}\n");
        SystemTests.Result removal = box.agent("apply", "--yes");
        assertThat(removal.exitCode()).as(removal.all()).isZero();
        assertThat(Files.readString(bashrc)).isEqualTo("# mine\nalias ll=\"ls -l\"\n");
        assertThat(box.home.resolve(".config/devbox/env.sh")).doesNotExist();
        // the developer's own file the agent replaced whole is theirs again: text, mode and owner
        assertThat(Files.readString(inputrc)).isEqualTo("set bell-style none\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(inputrc))).isEqualTo("rw-------");
        assertThat(uidOf(inputrc)).isEqualTo(box.user.uid());
    }

    @Test
    void aBashrcLinkedToARootOnlyFileIsNeitherReadNorReplaced() throws Exception {
        Path shadow = root.resolve("etc/shadow");
        box.asUser("ln", "-s", shadow.toString(), box.home.resolve(".bashrc").toString());
        box.profile("files", BLOCK);
        String before = TreeHash.of(shadow);
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertCleanError(apply, "file[/home/" + box.user.name() + "/.bashrc]", "is a symbolic link");
        assertThat(apply.all()).doesNotContain("NOT-FOR-USERS");
        assertThat(TreeHash.of(shadow)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(box.home.resolve(".bashrc"))).isTrue();
    }

    @Test
    void aDirectoryOnTheWayLinkedIntoEtcMakesRootWriteNothingThere() throws Exception {
        Path etc = root.resolve("etc");
        box.asUser("ln", "-s", etc.toString(), box.home.resolve(".config").toString());
        box.profile("files", "files:\n  \"${home}/.config/cron.d-evil\": {content: \"* * * * * root id\\n\"}\n"
                + "  \"${home}/.config/shadow.local\": {blocks: {x: \"X=1\"}}\n");
        String before = TreeHash.of(etc);
        SystemTests.Result apply = box.agent("apply", "--yes");
        assertCleanError(apply, "file[/home/" + box.user.name() + "/.config/cron.d-evil]");
        assertThat(TreeHash.of(etc)).isEqualTo(before);
    }

    @Test
    void ownerAndGroupCannotBeSetInTheDevelopersTree() throws Exception {
        box.profile("files", "files:\n  \"${home}/.bashrc\": {blocks: {x: \"X=1\"}, owner: root}\n");
        SystemTests.Result plan = box.agent("plan");
        assertCleanError(plan, "files there belong to that user, so owner and group cannot be set");
        assertThat(box.home.resolve(".bashrc")).doesNotExist();
    }
}
