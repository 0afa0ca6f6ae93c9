package io.devbox.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code --root} sandbox whose developer is a real unprivileged account ({@link UnixUser}) owning the sandbox home,
 * with a fleet repository and a root-only {@code /etc/shadow} stand-in holding a secret: the stage on which the
 * privilege-boundary system tests attack the root agent (the built jar) as that user would.
 */
public final class UserBox implements AutoCloseable {
    public static final String SECRET = "root:$6$NOT-FOR-USERS-4f1c9a$hash:19000::::::";

    public final Path root;
    public final UnixUser user;
    public final Path home;
    public final Path repo;
    public final Path state;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvm = new ArrayList<>();

    private UserBox(Path root, UnixUser user, Path home, Path repo, Path state) {
        this.root = root;
        this.user = user;
        this.home = home;
        this.repo = repo;
        this.state = state;
    }

    /** A sandbox in {@code root} (a fresh temp dir) with a new user; {@code work} holds the fleet repository. */
    public static UserBox create(Path root, Path work) throws IOException, InterruptedException {
        UnixUser user = UnixUser.create();
        try {
            Path home = user.sandboxHome(root);
            Path shadow = root.resolve("etc/shadow");
            Files.writeString(shadow, SECRET + "\n");
            Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));
            Path repo = GitRepos.init(work.resolve("fleet"));
            return new UserBox(root, user, home, repo, root.resolve("var/lib/devbox-agent"));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            user.close();
            throw e;
        }
    }

    /** Commits {@code profiles/NAME.yaml} with this spec (YAML under {@code spec:}). */
    public void profile(String name, String spec) throws IOException, InterruptedException {
        GitRepos.commitFile(repo, "profiles/" + name + ".yaml",
                "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: " + name + "}\nspec:\n" + spec.indent(2), "profile " + name);
    }

    /** Adds a variable to the agent's environment. */
    public UserBox env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Adds a JVM option to the agent's command line (e.g. a small heap). */
    public UserBox jvm(String option) {
        jvm.add(option);
        return this;
    }

    /** Runs the built agent as root on this sandbox, as this user's developer box. */
    public SystemTests.Result agent(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(1, jvm);
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--user", user.name(), "--hostname", "dev-1", "--no-color"));
        return SystemTests.run(argv, env, null, Duration.ofMinutes(3));
    }

    /** Runs a command as the user, in the home, and requires it to succeed. */
    public String asUser(String... argv) throws IOException, InterruptedException {
        SystemTests.Result r = user.run(List.of(argv), home, home, Duration.ofMinutes(1));
        assertThat(r.exitCode()).as("as %s: %s\n%s", user.name(), List.of(argv), r.all()).isZero();
        return r.stdout();
    }

    /** The agent failed cleanly: exit 1, the expected message, and no stack trace or JVM error in its output. */
    public static void assertCleanError(SystemTests.Result r, String... messages) {
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains(messages);
        assertThat(r.all()).doesNotContain("Exception", "\tat io.devbox", "OutOfMemoryError", "java.lang.");
    }

    /** The uid owning {@code p} (not following a link). */
    public static int uidOf(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        user.close();
    }
}
