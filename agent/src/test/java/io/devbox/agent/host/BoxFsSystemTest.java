package io.devbox.agent.host;

import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UnixUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The privilege-boundary mechanism itself, as root on a sandbox whose home a real unprivileged user owns: what that
 * user plants (links, FIFOs, huge files, root-owned files, swapped directories) is refused with the path and the
 * reason, and nothing outside the home changes.
 */
class BoxFsSystemTest {
    @TempDir
    Path root;
    UnixUser user;
    Path home;
    Path etc;
    BoxFs fs;

    @BeforeEach
    void box() throws Exception {
        user = UnixUser.create();
        home = user.sandboxHome(root);
        etc = root.resolve("etc");
        Files.writeString(etc.resolve("shadow"), "root:$6$secret-hash:19000::::::\n");
        Files.setPosixFilePermissions(etc.resolve("shadow"), PosixFilePermissions.fromString("rw-------"));
        fs = Sandboxes.host(root, user.name(), "/home/" + user.name()).fs();
    }

    @AfterEach
    void removeUser() throws Exception {
        user.close();
    }

    private void asUser(String... argv) throws Exception {
        SystemTests.Result r = user.run(List.of(argv), home, null, Duration.ofSeconds(20));
        assertThat(r.exitCode()).as(r.all()).isZero();
    }

    @Test
    void classifiesRootOnlyAndUserControlledPaths() throws Exception {
        Files.createDirectories(root.resolve("usr/local/go"));
        assertThat(fs.territory(root.resolve("usr/local/go/bin/go"))).isInstanceOf(Territory.RootOnly.class);
        assertThat(fs.userControl(root.resolve("usr/local/go"))).isEmpty();
        assertThat(fs.userControl(home.resolve("go"))).contains("/home/" + user.name() + " is owned by " + user.name() + " (uid " + user.uid() + ")");
        Path shared = Files.createDirectories(root.resolve("srv/shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(fs.userControl(shared.resolve("go"))).contains("/srv/shared is writable by others (mode 777)");
        // a sticky directory (a /tmp): root's entries in it stay root's, but the way is not root-only all the way up
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        SystemTests.sh(List.of("chmod", "1777", tmp.toString()));
        Path rootsOwn = Files.createDirectories(tmp.resolve("roots-own"));
        assertThat(fs.territory(rootsOwn.resolve("f"))).isInstanceOf(Territory.RootOnly.class);
        assertThat(fs.userControl(rootsOwn.resolve("f"))).contains("/tmp is writable by others (mode 1777)");
        assertThat(fs.territory(tmp.resolve("not-yet"))).as("anyone may create it first").isInstanceOf(Territory.UserControlled.class);
        asUser("mkdir", tmp.resolve("users").toString());
        assertThat(fs.territory(tmp.resolve("users/f"))).isInstanceOfSatisfying(Territory.UserControlled.class,
                u -> assertThat(u.controller().uid()).isEqualTo(user.uid()));
        // root's own link is followed; the walk goes on at its target
        Files.createSymbolicLink(root.resolve("opt"), home);
        assertThat(fs.userControl(root.resolve("opt/x"))).hasValueSatisfying(r -> assertThat(r).contains("is owned by " + user.name()));
    }

    @Test
    void aLinkToARootOnlyFileIsNeitherReadNorReplaced() throws Exception {
        asUser("mkdir", "-p", home.resolve(".config/go").toString());
        asUser("ln", "-s", etc.resolve("shadow").toString(), home.resolve(".config/go/env").toString());
        String before = TreeHash.of(etc);
        Path env = home.resolve(".config/go/env");
        assertThatThrownBy(() -> fs.read(env, 1 << 20, "a Go env file")).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("/home/" + user.name() + "/.config/go/env is a symbolic link");
        assertThatThrownBy(() -> fs.write(env, "GOFLAGS=-mod=mod\n".getBytes(), null, true)).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(Files.isSymbolicLink(env)).isTrue();
        assertThat(TreeHash.of(etc)).isEqualTo(before);
    }

    @Test
    void aLinkedDirectoryOnTheWayIsNotFollowedAndNothingIsCreatedBehindIt() throws Exception {
        asUser("ln", "-s", etc.toString(), home.resolve(".config").toString());
        String before = TreeHash.of(etc);
        assertThatThrownBy(() -> fs.write(home.resolve(".config/go/env"), "A=1\n".getBytes(), null, true))
                .hasMessageContaining("/home/" + user.name() + "/.config is a symbolic link");
        assertThatThrownBy(() -> fs.createDirectories(home.resolve(".config/devbox-agent/git-hooks"), true))
                .hasMessageContaining("is a symbolic link");
        assertThat(TreeHash.of(etc)).isEqualTo(before);
    }

    @Test
    void writesInTheUsersTreeBelongToTheUserAndMissingDirectoriesAreMadeByThem() throws Exception {
        Path env = home.resolve(".config/go/env");
        fs.write(env, "GOPRIVATE=x\n".getBytes(StandardCharsets.UTF_8), null, true);
        assertThat(Files.readString(env)).isEqualTo("GOPRIVATE=x\n");
        for (Path p : List.of(home.resolve(".config"), home.resolve(".config/go"), env)) {
            assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(user.uid());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-r--r--");
        assertThat(fs.read(env, 100, "x")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("GOPRIVATE=x\n"));
        try (var s = Files.list(env.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("env");
        }
    }

    @Test
    void oversizedFifoAndForeignOwnedFilesAreRefusedWithTheirPath() throws Exception {
        Path big = home.resolve("big");
        asUser("truncate", "-s", "3G", big.toString());
        assertThatThrownBy(() -> fs.read(big, 256 << 10, "a hook")).isInstanceOf(UnsafePathException.TooLarge.class)
                .hasMessage("/home/" + user.name() + "/big is 3.0 GiB, more than the 256.0 KiB a hook may have; not reading it");
        Path fifo = home.resolve("fifo");
        asUser("mkfifo", fifo.toString());
        assertThatThrownBy(() -> fs.read(fifo, 1024, "a hook")).hasMessageContaining("is a FIFO, socket or device, not a regular file");
        Path rootOwned = home.resolve("planted");
        Files.writeString(rootOwned, "root's\n");
        assertThatThrownBy(() -> fs.read(rootOwned, 1024, "a hook")).hasMessageContaining("is owned by root (uid 0), not by " + user.name() + " (uid " + user.uid() + ")");
    }

    @Test
    void rootsOwnLinksAreFollowedForReadingButAnEntryIsReplacedNotWrittenThrough() throws Exception {
        Path target = etc.resolve("real.conf");
        Files.writeString(target, "root's target\n");
        Path link = Files.createDirectories(etc.resolve("profile.d")).resolve("x.sh");
        Files.createSymbolicLink(link, target);
        assertThat(fs.read(link, 1024, "x")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("root's target\n"));
        assertThat(fs.stat(link)).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(BoxFs.Entry.Kind.SYMLINK));
        fs.write(link, "new\n".getBytes(), "rw-r--r--", false);
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(link)).isEqualTo("new\n");
        assertThat(Files.readString(target)).as("the link's target is not written through").isEqualTo("root's target\n");
    }

    @Test
    void aTreeIsDeletedWithoutFollowingItsLinks() throws Exception {
        Path outside = Files.createDirectories(root.resolve("srv/outside"));
        for (int i = 0; i < 20; i++) Files.writeString(outside.resolve("f" + i), "keep");
        String before = TreeHash.of(outside);
        asUser("mkdir", "-p", home.resolve("tree/a/b").toString());
        asUser("ln", "-s", outside.toString(), home.resolve("tree/a/link").toString());
        asUser("chmod", "0555", home.resolve("tree/a/b").toString());
        fs.deleteTree(home.resolve("tree"));
        assertThat(home.resolve("tree")).doesNotExist();
        assertThat(TreeHash.of(outside)).isEqualTo(before);
    }
}
