package io.devbox.agent.kinds.files;

import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.testing.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Owner and group names: the machine's user database (getent) on the real box, the sandbox's files under --root. */
class BoxAccountsTest {
    @Test
    void onTheRealBoxNamesComeFromTheUserDatabase(@TempDir Path state) throws Exception {
        Host real = new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), state,
                new Facts("dev-42", "boot-1", false, false, "dev", "/home/dev", true), new Commands());
        BoxAccounts accounts = new BoxAccounts(real);
        assertThat(accounts.id(BoxAccounts.Db.PASSWD, "root")).contains(0);
        assertThat(accounts.id(BoxAccounts.Db.GROUP, "root")).contains(0);
        assertThat(accounts.name(BoxAccounts.Db.PASSWD, 0)).contains("root");
        assertThat(accounts.id(BoxAccounts.Db.PASSWD, "no-such-user-" + ProcessHandle.current().pid())).isEmpty();
        assertThat(accounts.id(BoxAccounts.Db.PASSWD, "1234")).as("a number is its own id").contains(1234);
    }

    @Test
    void underRootOnlyTheSandboxesFilesCount(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nbroken line\nbad:x:notanumber:1::/:/bin/sh\n"
                + "dev:x:4242:4343::/home/dev:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndevs:x:4343:dev\n");
        BoxAccounts accounts = new BoxAccounts(Sandboxes.host(root));
        assertThat(accounts.id(BoxAccounts.Db.PASSWD, "dev")).contains(4242);
        assertThat(accounts.id(BoxAccounts.Db.GROUP, "devs")).contains(4343);
        assertThat(accounts.name(BoxAccounts.Db.GROUP, 4343)).contains("devs");
        assertThat(accounts.id(BoxAccounts.Db.PASSWD, "bad")).isEmpty();
        // the machine's own accounts are not the sandbox's
        assertThat(accounts.id(BoxAccounts.Db.PASSWD, "daemon")).isEmpty();
    }
}
