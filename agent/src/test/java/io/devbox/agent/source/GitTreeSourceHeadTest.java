package io.devbox.agent.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which commit a local repository's profiles are read at, in repositories made by the real git. */
class GitTreeSourceHeadTest {
    @TempDir
    Path repo;

    private String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null", "GIT_AUTHOR_NAME", "t",
                "GIT_AUTHOR_EMAIL", "t@example.com", "GIT_COMMITTER_NAME", "t", "GIT_COMMITTER_EMAIL", "t@example.com"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private String commitProfile(String value) throws IOException, InterruptedException {
        Files.createDirectories(repo.resolve("profiles"));
        Files.writeString(repo.resolve("profiles/base.yaml"), "value: " + value + "\n");
        git("add", "-A");
        git("commit", "-q", "-m", value);
        return git("rev-parse", "HEAD");
    }

    private Snapshot read(String ref) throws SourceException {
        return new GitTreeSource(repo, ref, "profiles", repo.toString()).snapshot();
    }

    @Test
    void aRepositoryWithoutCommitsIsRefusedWithAMessage() throws Exception {
        git("init", "-q", "-b", "main");
        assertThatThrownBy(() -> read(null)).isInstanceOf(SourceException.class).hasMessageContaining("has no commits yet");
    }

    @Test
    void headIsTheCheckedOutBranchsCommitOrTheDetachedOne() throws Exception {
        git("init", "-q", "-b", "main");
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
        git("init", "-q", "-b", "main");
        String commit = commitProfile("1");
        git("tag", "-a", "-m", "release", "v1");
        assertThat(read("v1").commit()).isEqualTo(commit);
        git("checkout", "-q", "v1");
        assertThat(read(null).commit()).isEqualTo(commit);
    }
}
