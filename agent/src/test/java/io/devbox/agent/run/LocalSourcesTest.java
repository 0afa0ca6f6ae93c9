package io.devbox.agent.run;

import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.source.SourceException;
import io.devbox.agent.source.Snapshot;
import io.devbox.agent.testing.GitRepos;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Local sources against real git repositories: the committed tree is read, never uncommitted edits by accident. */
class LocalSourcesTest {
    @TempDir
    Path tmp;
    private Path main;
    private String mainCommit;

    @BeforeEach
    void repository() throws Exception {
        main = GitRepos.init(tmp.resolve("main"));
        mainCommit = GitRepos.commitFile(main, "profiles/base.yaml", "committed: main\n", "base");
        Files.writeString(main.resolve("profiles/base.yaml"), "uncommitted: edit\n");
    }

    private static AgentOptions options(Path cwd, String repo, boolean worktree) {
        return new AgentOptions(repo, null, null, worktree, Path.of("/"), null, null, null, "h", Map.of(), null,
                Duration.ofSeconds(1), cwd);
    }

    private static String content(Snapshot s) {
        return new String(s.profiles().stream().map(ProfileFile::content).findFirst().orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aRepositoryIsReadAtItsCommittedTree() throws Exception {
        Snapshot s = Sources.open(options(tmp, main.toString(), false), Optional.empty()).snapshot();
        assertThat(s.commit()).isEqualTo(mainCommit);
        assertThat(content(s)).isEqualTo("committed: main\n");
        Snapshot fromInside = Sources.open(options(main.resolve("profiles"), null, false), Optional.empty()).snapshot();
        assertThat(content(fromInside)).isEqualTo("committed: main\n");
        assertThat(content(Sources.open(options(tmp, main.toString(), true), Optional.empty()).snapshot())).isEqualTo("uncommitted: edit\n");
    }

    @Test
    void aLinkedWorktreeIsReadAtItsOwnCommit() throws Exception {
        Path wt = tmp.resolve("wt");
        GitRepos.git(main, "worktree", "add", "-q", "-b", "feature", wt.toString());
        String featureCommit = GitRepos.commitFile(wt, "profiles/base.yaml", "committed: feature\n", "feature");
        Files.writeString(wt.resolve("profiles/base.yaml"), "uncommitted: in the worktree\n");
        assertThat(Files.isRegularFile(wt.resolve(".git"))).as("a linked worktree's .git is a file").isTrue();

        Snapshot byRepo = Sources.open(options(tmp, wt.toString(), false), Optional.empty()).snapshot();
        assertThat(byRepo.commit()).isEqualTo(featureCommit);
        assertThat(content(byRepo)).isEqualTo("committed: feature\n");
        Snapshot byCwd = Sources.open(options(wt.resolve("profiles"), null, false), Optional.empty()).snapshot();
        assertThat(byCwd.commit()).isEqualTo(featureCommit);
        assertThat(content(Sources.open(options(tmp, wt.toString(), true), Optional.empty()).snapshot()))
                .isEqualTo("uncommitted: in the worktree\n");
    }

    @Test
    void aDirectoryInsideARepositoryIsRefusedNotReadFromDisk() {
        assertThatThrownBy(() -> Sources.open(options(tmp, main.resolve("profiles").toString(), false), Optional.empty()))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("is inside the git repository " + main.toAbsolutePath())
                .hasMessageContaining("--worktree");
    }

    @Test
    void aBareRepositoryAndAPlainDirectoryWork() throws Exception {
        Path bare = tmp.resolve("bare.git");
        GitRepos.git(tmp, "clone", "-q", "--bare", main.toString(), bare.toString());
        assertThat(Sources.open(options(tmp, bare.toString(), false), Optional.empty()).snapshot().commit()).isEqualTo(mainCommit);

        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain.resolve("profiles"));
        Files.writeString(plain.resolve("profiles/p.yaml"), "plain: files\n");
        assertThat(content(Sources.open(options(tmp, plain.toString(), false), Optional.empty()).snapshot())).isEqualTo("plain: files\n");
    }
}
