package io.devbox.agent.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GitSourcePartsTest {
    @TempDir
    Path tmp;

    @Test
    void tellsUrlsFromPaths() {
        assertThat(GitUrls.isUrl("https://git.example.com/acme/fleet.git")).isTrue();
        assertThat(GitUrls.isUrl("ssh://git@git.example.com:2222/acme/fleet.git")).isTrue();
        assertThat(GitUrls.isUrl("git://127.0.0.1:9418/fleet.git")).isTrue();
        assertThat(GitUrls.isUrl("file:///srv/fleet.git")).isTrue();
        assertThat(GitUrls.isUrl("git@github.com:acme/fleet.git")).isTrue();
        assertThat(GitUrls.isUrl("host:fleet")).isTrue();
        assertThat(GitUrls.isUrl("/srv/fleet")).isFalse();
        assertThat(GitUrls.isUrl("fleet")).isFalse();
        assertThat(GitUrls.isUrl("./dir:with/colon")).isFalse();
        assertThat(GitUrls.isUrl(null)).isFalse();
    }

    @Test
    void cacheKeysAreDistinctSafeAndReadable() {
        String a = GitUrls.cacheKey("https://git.example.com/acme/fleet.git");
        String b = GitUrls.cacheKey("https://git.example.com/acme/fleet");
        assertThat(a).isNotEqualTo(b).matches("[a-z0-9._-]+").contains("fleet");
        assertThat(GitUrls.cacheKey("file:///../../etc")).doesNotContain("/").doesNotStartWith(".");
        assertThat(GitUrls.cacheKey("x".repeat(500)).length()).isLessThan(70);
    }

    @Test
    void redactsCredentialsInUrls() {
        assertThat(GitUrls.redact("https://bob:s3cret@git.example.com/fleet.git")).isEqualTo("https://***@git.example.com/fleet.git");
        assertThat(GitUrls.redact("ssh://git@host/fleet.git")).isEqualTo("ssh://git@host/fleet.git");
    }

    @Test
    void sourceStateRoundTrips() throws Exception {
        SourceState s = SourceState.empty("git://h/f.git", "main").withFetch("2026-01-01T00:00:00Z", "b".repeat(40))
                .withGood("a".repeat(40), "2026-01-01T00:00:00Z", "alice (ssh SHA256:x)")
                .withBadCommit("b".repeat(40), List.of("profiles/x.yaml:1:1: bad"))
                .withError("commit bbbbbbb is invalid", "2026-01-01T00:01:00Z")
                .withForcePush(new SourceState.ForcePush("c".repeat(40), "a".repeat(40), "2026-01-01T00:00:00Z", true));
        s.write(tmp);
        assertThat(SourceState.read(tmp)).isEqualTo(s);
        assertThat(SourceState.read(tmp.resolve("none")).commit()).isNull();
        assertThat(s.isFor("git://h/f.git", "main")).isTrue();
        assertThat(s.isFor("git://h/f.git", null)).isFalse();
    }

    @Test
    void stripsTheSignatureHeaderForVerification() {
        String signed = "tree 1234\nparent 5678\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n"
                + "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n"
                + "\nmessage\n gpgsig in the body stays\n";
        String expected = "tree 1234\nparent 5678\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n"
                + "\nmessage\n gpgsig in the body stays\n";
        assertThat(new String(CommitVerifier.unsigned(signed.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void parsesCredentialHelperAnswers() {
        var m = GitCredentials.CredentialHelper.parse("protocol=https\nhost=h\nusername=bob\npassword=p=w\n");
        assertThat(m).containsEntry("username", "bob").containsEntry("password", "p=w");
    }
}
