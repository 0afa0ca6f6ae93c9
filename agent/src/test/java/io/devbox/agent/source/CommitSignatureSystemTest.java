package io.devbox.agent.source;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.SystemTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --verify-commits with real signatures: GPG keys made by gpg in a temp GNUPGHOME, SSH keys by ssh-keygen, commits
 * signed by git itself; unsigned and wrongly signed heads are refused and change nothing.
 */
class CommitSignatureSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;
    Path gnupg;
    Path work;
    Path bare;
    Path sys;

    @BeforeEach
    void setUp() throws Exception {
        SystemTests.requireCommand("git");
        SystemTests.requireCommand("gpg");
        SystemTests.requireCommand("ssh-keygen");
        SystemTests.agentJar();
        // short path: gpg-agent's socket path must fit in sun_path
        gnupg = Files.createTempDirectory(Path.of("/tmp"), "gpg");
        Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        work = GitRepos.init(tmp.resolve("work"));
        sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("net/core"));
        Files.writeString(sys.resolve("net/core/somaxconn"), "128\n");
        bare = tmp.resolve("fleet.git");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gnupg != null) {
            SystemTests.run(List.of("gpgconf", "--kill", "all"), Map.of("GNUPGHOME", gnupg.toString()), null, Duration.ofSeconds(20));
            SystemTests.run(List.of("rm", "-rf", gnupg.toString()), Map.of(), null, Duration.ofSeconds(20));
        }
    }

    private String git(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-C", work.toString()));
        argv.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(GitRepos.ENV);
        all.put("GNUPGHOME", gnupg.toString());
        all.putAll(env);
        SystemTests.Result r = SystemTests.run(argv, all, null, Duration.ofMinutes(1));
        if (r.exitCode() != 0) throw new AssertionError("git " + List.of(args) + ": " + r.all());
        return r.stdout().strip();
    }

    private String commit(String value, String... signArgs) throws Exception {
        return commitAs(GitRepos.ENV.get("GIT_COMMITTER_EMAIL"), value, signArgs);
    }

    /** A commit whose committer (and author) has the address {@code email}. */
    private String commitAs(String email, String value, String... signArgs) throws Exception {
        Map<String, String> who = Map.of("GIT_COMMITTER_EMAIL", email, "GIT_AUTHOR_EMAIL", email);
        Files.createDirectories(work.resolve("profiles"));
        Files.writeString(work.resolve("profiles/base.yaml"), "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: base}\nspec:\n  sysctl:\n    net.core.somaxconn: " + value + "\n");
        git(who, "add", "-A");
        List<String> args = new ArrayList<>(List.of(signArgs));
        args.addAll(List.of("commit", "-q", "-m", "set " + value));
        if (signArgs.length > 0) args.add("-S");
        else args.add("--no-gpg-sign");
        git(who, args.toArray(String[]::new));
        SystemTests.sh(List.of("git", "-C", work.toString(), "push", "-q", "--force", bare.toString(), "HEAD:refs/heads/main"));
        return git(Map.of(), "rev-parse", "HEAD");
    }

    private SystemTests.Result agent(Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--repo", bare.toUri().toString(), "--root", tmp.resolve("root").toString(), "--sysctl-dir", sys.toString(),
                "--state-dir", state.toString(), "--hostname", "dev-1", "--no-color", "--verify-commits"));
        return SystemTests.run(argv, Map.of("HOME", tmp.toString()), tmp, Duration.ofMinutes(2));
    }

    private String gpgKey(String uid) throws Exception {
        Map<String, String> env = Map.of("GNUPGHOME", gnupg.toString());
        SystemTests.Result r = SystemTests.run(List.of("gpg", "--batch", "--passphrase", "", "--quick-gen-key", uid, "default", "default", "never"),
                env, null, Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.all()).isZero();
        String colons = SystemTests.run(List.of("gpg", "--batch", "--with-colons", "--list-keys", uid), env, null, Duration.ofSeconds(30)).stdout();
        return colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    }

    private String kernel() throws Exception {
        return Files.readString(sys.resolve("net/core/somaxconn")).strip();
    }

    @Test
    void gpgSignedHeadsAreVerifiedAgainstTheArmoredKeysFile() throws Exception {
        SystemTests.sh(List.of("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString()));
        String alice = gpgKey("Alice <committer@example.com>");
        String mallory = gpgKey("Mallory <committer@example.com>");
        Path keys = tmp.resolve("trusted.asc");
        SystemTests.Result export = SystemTests.run(List.of("gpg", "--batch", "--armor", "--export", alice),
                Map.of("GNUPGHOME", gnupg.toString()), null, Duration.ofSeconds(30));
        Files.writeString(keys, export.stdout());
        Path state = tmp.resolve("state");

        // unsigned first: refused, nothing changed
        commit("1000");
        SystemTests.Result r = agent(state, "apply", "--yes", "--gpg-keys", keys.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).contains("is not signed");
        assertThat(kernel()).isEqualTo("128");

        String good = commit("4096", "-c", "gpg.program=gpg", "-c", "user.signingkey=" + alice);
        r = agent(state, "apply", "--yes", "--json", "--gpg-keys", keys.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(good);
        assertThat(doc.path("source").path("signature").asString()).contains("Alice <committer@example.com>").contains(alice);
        assertThat(kernel()).isEqualTo("4096");

        // signed by a key that is not trusted: refused, the box stays on the good commit
        String forged = commit("9999", "-c", "gpg.program=gpg", "-c", "user.signingkey=" + mallory);
        r = agent(state, "apply", "--yes", "--json", "--gpg-keys", keys.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(good);
        assertThat(doc.path("source").path("badCommit").asString()).isEqualTo(forged);
        assertThat(doc.path("source").path("error").asString()).contains("untrusted OpenPGP key");
        assertThat(doc.path("source").path("signature").asString()).contains("Alice");
        assertThat(kernel()).isEqualTo("4096");
        JsonNode st = JSON.readTree(Files.readAllBytes(state.resolve("source.json")));
        assertThat(st.path("badCommit").asString()).isEqualTo(forged);
        assertThat(st.path("badCommitErrors").get(0).asString()).contains("untrusted");
    }

    @Test
    void sshSignedHeadsAreVerifiedAgainstTheAllowedSignersFile() throws Exception {
        SystemTests.sh(List.of("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString()));
        Path alice = tmp.resolve("alice");
        Path mallory = tmp.resolve("mallory");
        SystemTests.sh(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", alice.toString()));
        SystemTests.sh(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mallory", "-f", mallory.toString()));
        Path allowed = tmp.resolve("allowed_signers");
        String pub = Files.readString(Path.of(alice + ".pub")).strip();
        Files.writeString(allowed, "committer@example.com " + pub + "\n");
        Path state = tmp.resolve("state");

        String good = commit("4096", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + alice);
        SystemTests.Result r = agent(state, "apply", "--yes", "--json", "--allowed-signers", allowed.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(good);
        assertThat(doc.path("source").path("signature").asString()).startsWith("committer@example.com (ssh SHA256:");
        assertThat(kernel()).isEqualTo("4096");

        String forged = commit("9999", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + mallory);
        r = agent(state, "apply", "--yes", "--json", "--allowed-signers", allowed.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(good);
        assertThat(doc.path("source").path("badCommit").asString()).isEqualTo(forged);
        assertThat(doc.path("source").path("error").asString()).contains("SSH signature not trusted");
        assertThat(kernel()).isEqualTo("4096");

        String unsigned = commit("7777");
        r = agent(state, "apply", "--yes", "--json", "--allowed-signers", allowed.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(JSON.readTree(r.stdout()).path("source").path("badCommit").asString()).isEqualTo(unsigned);
        assertThat(JSON.readTree(r.stdout()).path("source").path("error").asString()).contains("is not signed");
        assertThat(kernel()).isEqualTo("4096");

        // a local repository path is verified too
        List<String> argv = new ArrayList<>(SystemTests.agentCommand());
        argv.addAll(List.of("plan", "--repo", work.toString(), "--root", tmp.resolve("root").toString(), "--sysctl-dir", sys.toString(),
                "--state-dir", tmp.resolve("state2").toString(), "--hostname", "dev-1", "--verify-commits", "--allowed-signers", allowed.toString()));
        r = SystemTests.run(argv, Map.of(), tmp, Duration.ofMinutes(1));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("is not signed").contains("nothing was changed");
    }

    @Test
    void anSshKeyAllowedForAnotherAddressCannotSignForTheCommitter() throws Exception {
        SystemTests.sh(List.of("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString()));
        Path bob = tmp.resolve("bob");
        SystemTests.sh(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bob", "-f", bob.toString()));
        Path allowed = tmp.resolve("allowed_signers");
        Files.writeString(allowed, "bob@example.com " + Files.readString(Path.of(bob + ".pub")).strip() + "\n");
        Path state = tmp.resolve("state");

        // bob's key for bob's own commit: accepted
        String own = commitAs("bob@example.com", "4096", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + bob);
        SystemTests.Result r = agent(state, "apply", "--yes", "--json", "--allowed-signers", allowed.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(own);
        assertThat(doc.path("source").path("signature").asString()).startsWith("bob@example.com (ssh SHA256:");
        assertThat(kernel()).isEqualTo("4096");

        // the key is trusted only for bob@example.com: a commit by committer@example.com is not bob's to sign
        String forged = commit("9999", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + bob);
        r = agent(state, "apply", "--yes", "--json", "--allowed-signers", allowed.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(own);
        assertThat(doc.path("source").path("badCommit").asString()).isEqualTo(forged);
        assertThat(doc.path("source").path("error").asString()).contains("signed with SSH key SHA256:",
                "trusts for bob@example.com, not for the committer committer@example.com");
        assertThat(kernel()).isEqualTo("4096");
    }

    @Test
    void aGpgKeyWithoutTheCommittersAddressCannotSignForTheCommitter() throws Exception {
        SystemTests.sh(List.of("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString()));
        String bob = gpgKey("Bob <bob@example.com>");
        Path keys = tmp.resolve("trusted.asc");
        Files.writeString(keys, SystemTests.run(List.of("gpg", "--batch", "--armor", "--export", bob),
                Map.of("GNUPGHOME", gnupg.toString()), null, Duration.ofSeconds(30)).stdout());
        Path state = tmp.resolve("state");

        String own = commitAs("bob@example.com", "4096", "-c", "gpg.program=gpg", "-c", "user.signingkey=" + bob);
        SystemTests.Result r = agent(state, "apply", "--yes", "--json", "--gpg-keys", keys.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("source").path("commit").asString()).isEqualTo(own);
        assertThat(kernel()).isEqualTo("4096");

        String forged = commit("9999", "-c", "gpg.program=gpg", "-c", "user.signingkey=" + bob);
        r = agent(state, "apply", "--yes", "--json", "--gpg-keys", keys.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.path("source").path("commit").asString()).isEqualTo(own);
        assertThat(doc.path("source").path("badCommit").asString()).isEqualTo(forged);
        assertThat(doc.path("source").path("error").asString()).contains("signed with OpenPGP key " + bob,
                "whose user ids (Bob <bob@example.com>) do not include the committer's address committer@example.com");
        assertThat(kernel()).isEqualTo("4096");
    }

    @Test
    void trustedKeysFilesAnotherUserCouldWriteAreRefused() throws Exception {
        SystemTests.sh(List.of("git", "init", "-q", "--bare", "--initial-branch=main", bare.toString()));
        Path alice = tmp.resolve("alice");
        SystemTests.sh(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", alice.toString()));
        Path allowed = tmp.resolve("allowed_signers");
        Files.writeString(allowed, "committer@example.com " + Files.readString(Path.of(alice + ".pub")).strip() + "\n");
        Files.setPosixFilePermissions(allowed, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        commit("4096", "-c", "gpg.format=ssh", "-c", "user.signingkey=" + alice);
        SystemTests.Result r = agent(tmp.resolve("state"), "apply", "--yes", "--allowed-signers", allowed.toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
        assertThat(r.stderr()).contains("the allowed-signers file " + allowed + " is refused: " + allowed
                + " is writable by every user (mode 0666)").doesNotContain("\tat ");
        assertThat(kernel()).isEqualTo("128");
    }
}
