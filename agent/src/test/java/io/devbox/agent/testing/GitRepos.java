package io.devbox.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real git repositories made with the git command line, for tests. */
public final class GitRepos {
    private GitRepos() {
    }

    public static final Map<String, String> ENV = Map.of(
            "GIT_CONFIG_NOSYSTEM", "1",
            "GIT_AUTHOR_NAME", "Test Author", "GIT_AUTHOR_EMAIL", "author@example.com",
            "GIT_COMMITTER_NAME", "Test Committer", "GIT_COMMITTER_EMAIL", "committer@example.com");

    public static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "init.defaultBranch=main",
                "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        SystemTests.Result r = SystemTests.run(argv, ENV, null, Duration.ofSeconds(60));
        if (r.exitCode() != 0) throw new AssertionError("git " + List.of(args) + " failed: " + r.all());
        return r.stdout().strip();
    }

    public static Path init(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        git(dir, "init", "-q");
        return dir;
    }

    /** Writes a file (creating directories) and commits everything; returns the commit id. */
    public static String commitFile(Path repo, String path, String content, String message) throws IOException, InterruptedException {
        Path f = repo.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", message);
        return git(repo, "rev-parse", "HEAD");
    }
}
