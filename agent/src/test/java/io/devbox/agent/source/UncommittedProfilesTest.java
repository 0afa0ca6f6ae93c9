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
}
