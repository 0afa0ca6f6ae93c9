package io.devbox.agent.hardening;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import io.devbox.agent.testing.UnixUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's own surfaces attacked by an ordinary account on the box (a real user made with useradd, acting through
 * setpriv): its config file, its state directory and locks, and what it prints. Root runs the built jar on a
 * {@code --root} sandbox whose home belongs to that user; each attack fails with a clear error, and the files it
 * aimed at (hashed) do not change.
 */
class OwnSurfacesSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What a developer writes into their own env file: retitle the window, ring, clear the screen, fake a line. */
    static final String EVIL = "\u001b]0;OWNED\u0007\u001b[2J\u001b[H  + nothing to see\r\u009b31m";

    @TempDir
    Path tmp;
    UnixUser user;
    Path root;
    Path home;
    Path repo;
    Path sys;
    Path outside;

    @BeforeEach
    void box() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.agentJar();
        user = UnixUser.create();
        // the user reaches the sandbox home through the temp dir, as through / on a real box
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = Files.createDirectories(tmp.resolve("box"));
        home = user.sandboxHome(root);
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        sys = Files.createDirectories(tmp.resolve("proc-sys/net/core")).getParent().getParent();
        Files.writeString(sys.resolve("net/core/somaxconn"), "4096\n");
        repo = GitRepos.init(tmp.resolve("fleet"));
        GitRepos.commitFile(repo, "profiles/base.yaml", String.format(HostileCase.HEADER, "base") + """
                spec:
                  sysctl:
                    net.core.somaxconn: 1024
                  go:
                    versions: ["1.22.5"]
                    checksums: {"1.22.5": "%s"}
                    mirror: file:///nonexistent/go-mirror/
                    env:
                      GOPROXY: "https://proxy.golang.org,direct"
                """.formatted("0".repeat(64)), "profile");
        // a root file outside the sandbox: what a planted link would make root truncate or overwrite
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "root:$6$secret:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(outside.resolve("victim"), PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void removeUser() throws Exception {
        if (user != null) user.close();
    }

    private SystemTests.Result agent(Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", repo.toString(), "--sysctl-dir", sys.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "--user", user.name(), "--no-color", "--lock-wait", "5"));
        if (!List.of(args).contains("--root")) argv.addAll(List.of("--root", root.toString()));
        SystemTests.Result r = SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(2));
        assertThat(r.all()).as("no stack trace").doesNotContain("\tat ").doesNotContain("internal error");
        return r;
    }

    /** Runs a shell command as the attacker. */
    private void asUser(String script) throws Exception {
        SystemTests.Result r = user.run(List.of("sh", "-c", script), home, home, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.all()).isZero();
    }

    @Test
    void aConfigFileOrDirectoryTheUserCouldWriteIsRefused() throws Exception {
        // as if root had been tricked into making <root>/etc/devbox-agent for the developer (a ~/.config link)
        Path dir = Files.createDirectories(root.resolve("etc/devbox-agent"));
        user.chown(dir);
        asUser("printf 'repo: /srv/attacker-fleet\\nhostname: owned\\n' > " + dir.resolve("agent.yaml"));
        String before = TreeHash.of(root);
        Path state = tmp.resolve("state");

        SystemTests.Result r = agent(state, "plan", "--config", dir.resolve("agent.yaml").toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).contains("agent: the agent config " + dir.resolve("agent.yaml") + " is refused: " + dir
                + " is owned by " + user.name() + " (uid " + user.uid() + "), not by root");
        assertThat(r.stdout()).isEmpty();
        assertThat(TreeHash.of(root)).isEqualTo(before);
        assertThat(state).doesNotExist();

        // a file of the user's own, in their home
        asUser("printf 'hostname: owned\\n' > " + home.resolve("agent.yaml"));
        r = agent(state, "plan", "--config", home.resolve("agent.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("the agent config " + home.resolve("agent.yaml") + " is refused: " + home + " is owned by " + user.name());

        // root's own file, but writable by its group: anyone in that group could point the agent elsewhere
        Path mine = Files.createDirectories(tmp.resolve("etc-devbox-agent"));
        Files.writeString(mine.resolve("agent.yaml"), "hostname: dev-1\n");
        Files.setPosixFilePermissions(mine.resolve("agent.yaml"), PosixFilePermissions.fromString("rw-rw-r--"));
        r = agent(state, "plan", "--config", mine.resolve("agent.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("is refused: " + mine.resolve("agent.yaml") + " is writable by its group (mode 0664)");

        // the same file, root's and not writable by others: used
        Files.setPosixFilePermissions(mine.resolve("agent.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
        r = agent(state, "plan", "--config", mine.resolve("agent.yaml").toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
    }

    @Test
    void aStateDirectoryTheUserControlsIsRefusedAndItsPlantedLockNeverFollowed() throws Exception {
        String victim = TreeHash.of(outside);
        Path state = home.resolve("state");
        asUser("mkdir " + state + " && ln -s " + outside.resolve("victim") + " " + state.resolve("lock")
                + " && ln -s " + outside.resolve("victim") + " " + state.resolve("applied.json"));

        SystemTests.Result r = agent(state, "apply", "--yes");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).contains("agent: the state directory " + state + " is refused: " + home + " is owned by "
                + user.name() + " (uid " + user.uid() + "), not by root");
        assertThat(TreeHash.of(outside)).isEqualTo(victim);
        assertThat(Files.readString(sys.resolve("net/core/somaxconn"))).isEqualTo("4096\n");
        // read-only commands refuse it too, before reading anything in it
        r = agent(state, "status");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("the state directory " + state + " is refused").doesNotContain("secret");
    }

    @Test
    void aBoxLockPlantedInATreeTheUserOwnsIsNeverFollowed() throws Exception {
        String victim = TreeHash.of(outside);
        // root asked to converge a box tree that lives in the developer's home, whose run/ they prepared; sysctls
        // only, since a Go installDir in such a tree is itself refused at validation, before any lock is taken
        GitRepos.commitFile(repo, "profiles/base.yaml", String.format(HostileCase.HEADER, "base") + """
                spec:
                  sysctl:
                    net.core.somaxconn: 1024
                """, "sysctls only");
        Path box = home.resolve("box");
        asUser("mkdir -p " + box.resolve("run") + " " + box.resolve("etc/sysctl.d")
                + " && ln -s " + outside.resolve("victim") + " " + box.resolve("run/devbox-agent.lock"));
        Path state = tmp.resolve("state");
        SystemTests.Result r = agent(state, "apply", "--yes", "--root", box.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).contains("agent: the lock directory " + box.resolve("run") + " is refused: " + home
                + " is owned by " + user.name());
        assertThat(TreeHash.of(outside)).isEqualTo(victim);
        assertThat(Files.readString(sys.resolve("net/core/somaxconn"))).isEqualTo("4096\n");
    }

    @Test
    void aLinkInRootsOwnStateDirectoryIsNeitherTruncatedNorRead() throws Exception {
        // the user cannot plant it there; a leftover or another tool could: the agent still does not follow it
        String victim = TreeHash.of(outside);
        Path state = Files.createDirectories(tmp.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(state.resolve("lock"), outside.resolve("victim"));
        SystemTests.Result r = agent(state, "plan");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("agent: refusing to follow the symbolic link " + state.resolve("lock"));
        Files.delete(state.resolve("lock"));

        Files.createSymbolicLink(state.resolve("applied.json"), outside.resolve("victim"));
        r = agent(state, "plan");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.all()).contains("refusing to follow the symbolic link " + state.resolve("applied.json")).doesNotContain("secret");
        assertThat(TreeHash.of(outside)).isEqualTo(victim);
    }

    @Test
    void controlCharactersFromTheUsersEnvFileReachThePlanEscaped() throws Exception {
        Path env = home.resolve(".config/go/env");
        asUser("mkdir -p " + env.getParent() + " && printf 'GOPROXY=%s\\n' \"$(printf '" + shellOctal(EVIL) + "')\" > " + env);
        assertThat(Files.readString(env)).isEqualTo("GOPROXY=" + EVIL + "\n");
        Path state = tmp.resolve("state");

        SystemTests.Result plan = agent(state, "plan");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertEscaped("plan", plan.stdout());
        assertThat(plan.stdout()).contains("go[env:GOPROXY]").contains("\\e]0;OWNED\\u0007\\e[2J\\e[H  + nothing to see\\r\\u009b31m -> ");

        // JSON stays JSON: the value intact inside, no raw control character outside a string escape
        SystemTests.Result json = agent(state, "plan", "--json");
        assertThat(json.stdout()).doesNotContain("\u001b").doesNotContain("\u0007");
        JsonNode doc = JSON.readTree(json.stdout());
        List<String> from = new ArrayList<>();
        for (JsonNode r : doc.path("resources")) for (JsonNode c : r.path("changes")) from.add(c.path("from").asString(""));
        assertThat(from).contains(EVIL);

        for (List<String> cmd : List.of(List.of("drift"), List.of("drift", "--format", "markdown"), List.of("history"),
                List.of("status"))) {
            SystemTests.Result r = agent(state, cmd.toArray(String[]::new));
            assertEscaped(String.join(" ", cmd), r.all());
        }
        String id = JSON.readTree(agent(state, "history", "--json").stdout()).path("runs").get(0).path("id").asString();
        SystemTests.Result show = agent(state, "history", "show", id);
        assertEscaped("history show", show.stdout());
        assertThat(show.stdout()).contains("\\e]0;OWNED");
    }

    private static void assertEscaped(String what, String out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0);
            assertThat(control).as(what + ": raw U+%04X at %d:%n%s", (int) c, i, out).isFalse();
        }
    }

    /** {@code s} as printf octal escapes, so the shell writes the raw bytes (UTF-8) itself. */
    private static String shellOctal(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) sb.append(String.format("\\%03o", b & 0xff));
        return sb.toString();
    }

    @Test
    void aToolchainArchivedWorldWritableCannotBeReplacedByTheUser() throws Exception {
        // a mirror's tarball (sha256 pinned, so trusted) whose modes say anyone may write bin/go
        String script = "#!/bin/sh\nif [ \"$1\" = version ]; then echo \"go version go1.22.5 linux/amd64\"; exit 0; fi\nexit 2\n";
        byte[] tgz = new io.devbox.agent.testing.Tarballs().dir("go", 0777).dir("go/bin", 0777)
                .file("go/VERSION", "go1.22.5\n", 0666).file("go/bin/go", script, 0777).tarGz();
        String file = io.devbox.agent.kinds.go.GoLayout.tarball("1.22.5");
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        Files.write(mirror.resolve(file), tgz);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(tgz));
        Path fleet = GitRepos.init(tmp.resolve("go-fleet"));
        GitRepos.commitFile(fleet, "profiles/go.yaml", String.format(HostileCase.HEADER, "go") + """
                spec:
                  go:
                    versions: ["1.22.5"]
                    checksums: {"1.22.5": "%s"}
                    mirror: %s
                """.formatted(sha, mirror.toUri()), "go");
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of("apply", "--yes", "--only", "go", "--repo", fleet.toString(), "--root", root.toString(),
                "--state-dir", tmp.resolve("state").toString(), "--hostname", "dev-1", "--user", user.name(), "--no-color"));
        SystemTests.Result r = SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(2));
        Path dir = root.resolve("usr/local/go-versions/go1.22.5");
        assertThat(dir.resolve("bin/go")).as(r.all()).exists();
        assertThat(Files.getAttribute(dir.resolve("bin/go"), "unix:mode")).isEqualTo(0100755);
        assertThat(Files.getAttribute(dir.resolve("bin"), "unix:mode")).isEqualTo(040755);
        assertThat(Files.getAttribute(dir.resolve("VERSION"), "unix:mode")).isEqualTo(0100644);
        String installed = TreeHash.of(dir);

        // the developer tries to swap what root runs on the next plan
        SystemTests.Result write = user.run(List.of("sh", "-c", "echo 'id > /tmp/owned' > " + dir.resolve("bin/go")), home, home,
                Duration.ofSeconds(30));
        SystemTests.Result swap = user.run(List.of("sh", "-c", "printf '#!/bin/sh\\nid\\n' > " + dir.resolve("bin/go2") + " && mv -f "
                + dir.resolve("bin/go2") + " " + dir.resolve("bin/go")), home, home, Duration.ofSeconds(30));
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Permission denied");
        assertThat(swap.exitCode()).isNotZero();
        assertThat(TreeHash.of(dir)).isEqualTo(installed);
    }
}
