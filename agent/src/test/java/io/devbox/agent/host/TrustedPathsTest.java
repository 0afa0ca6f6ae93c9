package io.devbox.agent.host;

import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ownership and modes, walked from / with symlinks expanded (needs root to give files to another user). */
class TrustedPathsTest {
    static final int NOBODY = 65534;

    @TempDir
    Path tmp;
    UserPrincipal nobody;

    @BeforeEach
    void needRoot() throws IOException, InterruptedException {
        SystemTests.requireRoot();
        nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(Integer.toString(NOBODY));
    }

    private void giveAway(Path p) throws IOException {
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
    }

    private static void mode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private Path file(String rel) throws IOException {
        Path f = tmp.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        mode(f, "rw-r--r--");
        return f;
    }

    @Test
    void rootOwnedAndNotWritableByOthersIsTrusted() throws IOException {
        Path f = file("etc/devbox-agent/agent.yaml");
        assertThat(TrustedPaths.problem(f, 0)).isEmpty();
        assertThat(TrustedPaths.problem(tmp.resolve("etc/devbox-agent/missing/agent.yaml"), 0)).isEmpty();
    }

    @Test
    void aFileOrDirectoryOfAnotherUserIsNot() throws IOException {
        Path f = file("etc/devbox-agent/agent.yaml");
        giveAway(f.getParent());
        assertThat(TrustedPaths.problem(f, 0)).hasValueSatisfying(p -> assertThat(p)
                .isEqualTo(f.getParent() + " is owned by nobody (uid 65534), not by root")
                .doesNotContain("agent.yaml"));
        // the same tree is fine for an agent running as that user
        assertThat(TrustedPaths.problem(f, NOBODY)).isEmpty();
        giveAway(f);
        assertThat(TrustedPaths.problem(tmp.resolve("etc/devbox-agent"), 1000)).hasValueSatisfying(p ->
                assertThat(p).contains("not by root or the agent's user (uid 1000)"));
    }

    @Test
    void writableByGroupOrOthersIsNotUnlessAStickyDirectoryAbove() throws Exception {
        Path f = file("a/b/agent.yaml");
        mode(f, "rw-rw-r--");
        assertThat(TrustedPaths.problem(f, 0)).hasValue(f + " is writable by its group (mode 0664)");
        mode(f, "rw-r--r--");
        mode(f.getParent(), "rwxrwxrwx");
        assertThat(TrustedPaths.problem(f, 0)).hasValue(f.getParent() + " is writable by every user (mode 0777)");
        // like /tmp: nobody can replace another user's entry in a sticky directory
        SystemTests.sh(List.of("chmod", "1777", f.getParent().toString()));
        assertThat(TrustedPaths.problem(f, 0)).isEmpty();
        // but the path itself may not be such a directory
        assertThat(TrustedPaths.problem(f.getParent(), 0)).hasValueSatisfying(p -> assertThat(p).contains("writable by every user"));
    }

    @Test
    void symlinksAreFollowedAndTheirOwnersCheckedToo() throws IOException {
        Path real = file("real/agent.yaml");
        Path link = tmp.resolve("etc-link");
        Files.createSymbolicLink(link, Path.of("real"));
        assertThat(TrustedPaths.problem(link.resolve("agent.yaml"), 0)).isEmpty();

        // a link made by someone else
        giveAway(link);
        assertThat(TrustedPaths.problem(link.resolve("agent.yaml"), 0)).hasValueSatisfying(p -> assertThat(p).startsWith(link + " is owned by"));
        Files.delete(link);

        // a root-owned link into someone else's directory: the target is checked
        Path theirs = file("home/dev/agent.yaml").getParent();
        giveAway(theirs);
        Files.createSymbolicLink(link, Path.of("home/../home/dev"));
        assertThat(TrustedPaths.problem(link.resolve("agent.yaml"), 0)).hasValueSatisfying(p ->
                assertThat(p).startsWith(tmp.resolve("home/dev") + " is owned by"));
        Files.delete(link);

        // an absolute link, and a loop
        Files.createSymbolicLink(link, real.getParent());
        assertThat(TrustedPaths.problem(link.resolve("agent.yaml"), 0)).isEmpty();
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("etc-link"));
        assertThat(TrustedPaths.problem(link.resolve("agent.yaml"), 0)).hasValueSatisfying(p -> assertThat(p).startsWith("too many symbolic links"));
    }

    @Test
    void requireNamesWhatIsRefusedAndWhy() throws IOException {
        Path f = file("cfg/agent.yaml");
        giveAway(f.getParent());
        try {
            TrustedPaths.require(f, "the agent config");
            throw new AssertionError("not refused");
        } catch (TrustedPaths.Untrusted e) {
            assertThat(e.getMessage()).isEqualTo("the agent config " + f + " is refused: " + f.getParent()
                    + " is owned by nobody (uid 65534), not by root");
        }
        assertThat(List.of(TrustedPaths.effectiveUid())).containsExactly(0);
    }
}
