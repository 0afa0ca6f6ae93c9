package io.devbox.agent.source;

import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.ValidationCache;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blobs over the limit are known by their size only: refused with a located error, never loaded. */
class TreeBlobsTest {
    @TempDir
    Path tmp;

    @Test
    void oversizedBlobsAreRefusedBeforeTheyAreLoaded() throws Exception {
        SystemTests.requireCommand("git");
        Path repo = GitRepos.init(tmp.resolve("fleet"));
        Files.createDirectories(repo.resolve("units"));
        Files.write(repo.resolve("units/big.service"), new byte[TreeBlobs.MAX_REFERENCED_BYTES + 1]);
        Files.writeString(repo.resolve("units/small.service"), "[Unit]\n");
        GitRepos.commitFile(repo, "profiles/big.yaml", "# " + "x".repeat(ProfileFile.MAX_BYTES) + "\n", "big");
        GitRepos.commitFile(repo, "profiles/base.yaml", "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\nspec: {}\n", "base");

        Snapshot snap = new GitTreeSource(repo, null, "profiles", repo.toString()).snapshot();
        ProfileFile big = snap.profiles().stream().filter(f -> f.path().equals("profiles/big.yaml")).findFirst().orElseThrow();
        assertThat(big.loaded()).isFalse();
        assertThat(big.content()).isEmpty();
        assertThat(big.size()).isEqualTo(ProfileFile.MAX_BYTES + 3);
        assertThatThrownBy(() -> new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).parse(snap.profiles()))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(ProfileError::render)
                        .containsExactly("profiles/big.yaml:1:1: file is 1048579 bytes; profiles may be at most 1048576 bytes (1 MiB)"));

        assertThat(snap.files().read("units/small.service")).hasValue("[Unit]\n".getBytes());
        assertThatThrownBy(() -> snap.files().read("units/big.service")).isInstanceOf(TreeBlobs.TooLarge.class)
                .hasMessage("units/big.service is 1048577 bytes, more than the limit of 1048576 bytes");

        // the working tree is held to the same limits
        Snapshot disk = new DirectorySource(repo, "profiles").snapshot();
        assertThat(disk.profiles().stream().filter(f -> f.path().equals("profiles/big.yaml")).findFirst().orElseThrow().loaded()).isFalse();
        assertThatThrownBy(() -> disk.files().read("units/big.service")).hasMessageContaining("more than the limit of 1048576");
    }
}
