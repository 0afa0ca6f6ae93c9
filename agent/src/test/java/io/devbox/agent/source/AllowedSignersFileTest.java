package io.devbox.agent.source;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AllowedSignersFileTest {
    static final String ALICE = "AAAAC3NzaC1lZDI1NTE5AAAAIBYlbW9ja2FsaWNla2V5bWF0ZXJpYWwxMjM0NTY3OA==";
    static final String BOB = "AAAAC3NzaC1lZDI1NTE5AAAAIGJvYmJvYmJvYmJvYmJvYmJvYmJvYmJvYmJvYmJvYmI=";
    static final String ALICE_FP = AllowedSignersFile.fingerprint(Base64.getDecoder().decode(ALICE));
    static final String BOB_FP = AllowedSignersFile.fingerprint(Base64.getDecoder().decode(BOB));
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aKeyIsTrustedOnlyForThePrincipalsOfItsLines() {
        AllowedSignersFile f = AllowedSignersFile.parse("""
                # team keys
                alice@example.com,alice@corp.example ssh-ed25519 %s alice laptop
                *@ops.example,!mallory@ops.example namespaces="git,file" ssh-ed25519 %s
                bob@example.com ssh-ed25519 %s
                """.formatted(ALICE, BOB, BOB));
        assertThat(f.allows(ALICE_FP, "alice@example.com", NOW)).isTrue();
        assertThat(f.allows(ALICE_FP, "alice@corp.example", NOW)).isTrue();
        assertThat(f.allows(ALICE_FP, "bob@example.com", NOW)).as("alice's key signing as bob").isFalse();
        assertThat(f.allows(BOB_FP, "bob@example.com", NOW)).isTrue();
        assertThat(f.allows(BOB_FP, "carol@ops.example", NOW)).as("a wildcard line").isTrue();
        assertThat(f.allows(BOB_FP, "mallory@ops.example", NOW)).as("a negated pattern").isFalse();
        assertThat(f.allows(BOB_FP, "Bob@Example.com", NOW)).as("case-sensitive, like ssh-keygen").isFalse();
        assertThat(f.principalsOf(BOB_FP)).containsExactly("*@ops.example", "!mallory@ops.example", "bob@example.com");
        assertThat(f.listsKey(ALICE_FP)).isTrue();
        assertThat(f.listsKey("SHA256:unknown")).isFalse();
    }

    @Test
    void namespacesAndValidityOfTheLineApply() {
        AllowedSignersFile f = AllowedSignersFile.parse("""
                alice@example.com namespaces="file" ssh-ed25519 %s
                bob@example.com valid-after="20260101" valid-before="20261201Z" ssh-ed25519 %s
                """.formatted(ALICE, BOB));
        assertThat(f.allows(ALICE_FP, "alice@example.com", NOW)).as("not for git").isFalse();
        assertThat(f.allows(BOB_FP, "bob@example.com", NOW)).isTrue();
        assertThat(f.allows(BOB_FP, "bob@example.com", Instant.parse("2026-12-02T00:00:00Z"))).as("expired").isFalse();
        assertThat(f.allows(BOB_FP, "bob@example.com", Instant.parse("2025-06-01T00:00:00Z"))).as("not yet valid").isFalse();
    }

    @Test
    void certificateAuthoritiesAndUnreadableLinesAreLeftToJGit() {
        AllowedSignersFile f = AllowedSignersFile.parse("""
                *@example.com cert-authority ssh-ed25519 %s
                broken line
                x ssh-ed25519 !!!notbase64!!!
                """.formatted(ALICE));
        assertThat(f.listsKey(ALICE_FP)).isFalse();
    }

    @Test
    void patternListsFollowOpenSsh() {
        assertThat(AllowedSignersFile.matchesList("a@b.c", List.of("*"))).isTrue();
        assertThat(AllowedSignersFile.matchesList("a@b.c", List.of("?@b.c"))).isTrue();
        assertThat(AllowedSignersFile.matchesList("ab@b.c", List.of("?@b.c"))).isFalse();
        assertThat(AllowedSignersFile.matchesList("a@b.c", List.of("*@b.c", "!a@*"))).isFalse();
        assertThat(AllowedSignersFile.matchesList("a@b.c", List.of("x@y", "a@b.*"))).isTrue();
    }

    @Test
    void userIdEmails() {
        assertThat(CommitVerifier.emailOf("Alice Example (work) <alice@example.com>")).isEqualTo("alice@example.com");
        assertThat(CommitVerifier.emailOf("alice@example.com")).isEqualTo("alice@example.com");
        assertThat(CommitVerifier.emailOf("Alice")).isEmpty();
    }
}
