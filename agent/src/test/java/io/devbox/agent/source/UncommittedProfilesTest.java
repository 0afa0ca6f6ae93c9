package io.devbox.agent.source;

import io.devbox.agent.profile.ProfileFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UncommittedProfilesTest {
    @TempDir
    Path tree;

    private static ProfileFile f(String path, String text) {
        return new ProfileFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listsModifiedNewAndDeletedProfileFilesOnly() throws Exception {
        Files.createDirectories(tree.resolve("profiles/hosts"));
        Files.writeString(tree.resolve("profiles/base.yaml"), "same\n");
        Files.writeString(tree.resolve("profiles/backend.yaml"), "edited\n");
        Files.writeString(tree.resolve("profiles/hosts/new.yml"), "new\n");
        Files.writeString(tree.resolve("profiles/README.md"), "not a profile\n");
        Files.writeString(tree.resolve("elsewhere.yaml"), "outside the profiles path\n");
        List<ProfileFile> committed = List.of(f("profiles/base.yaml", "same\n"), f("profiles/backend.yaml", "committed\n"),
                f("profiles/gone.yaml", "x\n"));
        List<String> changed = UncommittedProfiles.list(tree, "profiles", committed);
        assertThat(changed).containsExactly("profiles/backend.yaml (modified)", "profiles/gone.yaml (deleted)",
                "profiles/hosts/new.yml (not committed)");
        assertThat(UncommittedProfiles.note(changed, "profiles", "3f9c2e1")).isEqualTo("the working tree has uncommitted changes "
                + "under profiles/ (profiles/backend.yaml (modified), profiles/gone.yaml (deleted), profiles/hosts/new.yml (not "
                + "committed)); this run read the committed tree at 3f9c2e1: commit them, or add --worktree to use the files as "
                + "they are on disk");
        assertThat(UncommittedProfiles.note(List.of(), "profiles", "3f9c2e1")).isNull();
        assertThat(UncommittedProfiles.list(tree, "nowhere", committed)).isEmpty();
    }

    /** A developer's work tree is their input: a link is not followed, a huge file is compared by size, not read. */
    @Test
    void readsNoLinkAndNoFileOverTheProfileLimit() throws Exception {
        Files.createDirectories(tree.resolve("profiles"));
        Path secret = Files.writeString(tree.resolve("secret"), "same\n");
        Files.createSymbolicLink(tree.resolve("profiles/linked.yaml"), secret);
        try (var big = java.nio.channels.FileChannel.open(tree.resolve("profiles/big.yaml"),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            big.write(java.nio.ByteBuffer.wrap(new byte[]{'x'}), 3L << 30); // 3 GiB, sparse
        }
        long bigSize = Files.size(tree.resolve("profiles/big.yaml"));
        List<ProfileFile> committed = List.of(f("profiles/linked.yaml", "same\n"), ProfileFile.unread("profiles/big.yaml", bigSize));
        // the link is no profile file of the work tree (as DirectorySource sees it); the big file has the committed size
        assertThat(UncommittedProfiles.list(tree, "profiles", committed)).containsExactly("profiles/linked.yaml (deleted)");
        List<ProfileFile> smaller = List.of(ProfileFile.unread("profiles/big.yaml", bigSize - 1));
        assertThat(UncommittedProfiles.list(tree, "profiles", smaller)).containsExactly("profiles/big.yaml (modified)");
    }
}
