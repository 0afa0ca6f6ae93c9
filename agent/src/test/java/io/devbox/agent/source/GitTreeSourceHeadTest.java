package io.devbox.agent.source;

import io.devbox.agent.testing.GitRepos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which commit a local repository's profiles are read at, in repositories made by the real git. */
class GitTreeSourceHeadTest {
    @TempDir
    Path repo;

    private String git(String... args) throws IOException, InterruptedException {
        return GitRepos.git(repo, args);
    }

    private String commitProfile(String value) throws IOException, InterruptedException {
        return GitRepos.commitFile(repo, "profiles/base.yaml", "value: " + value + "\n", value);
    }

    private Snapshot read(String ref) throws SourceException {
        return new GitTreeSource(repo, ref, "profiles", repo.toString()).snapshot();
    }

    @Test
    void aRepositoryWithoutCommitsIsRefusedWithAMessage() throws Exception {
        GitRepos.init(repo);
        assertThatThrownBy(() -> read(null)).isInstanceOf(SourceException.class).hasMessageContaining("has no commits yet");
    }

    @Test
    void headIsTheCheckedOutBranchsCommitOrTheDetachedOne() throws Exception {
        GitRepos.init(repo);
        String first = commitProfile("1");
        String second = commitProfile("2");
        assertThat(read(null).commit()).isEqualTo(second);
        assertThat(read("HEAD").commit()).isEqualTo(second);
        assertThat(new String(read(null).profiles().get(0).content())).isEqualTo("value: 2\n");

        git("checkout", "-q", "--detach", first);
        assertThat(read(null).commit()).isEqualTo(first);
        assertThat(read("main").commit()).isEqualTo(second);
    }

    @Test
    void anAnnotatedTagIsPeeledToItsCommit() throws Exception {
        GitRepos.init(repo);
        String commit = commitProfile("1");
        git("tag", "-a", "-m", "release", "v1");
        assertThat(read("v1").commit()).isEqualTo(commit);
        git("checkout", "-q", "v1");
        assertThat(read(null).commit()).isEqualTo(commit);
    }
}
