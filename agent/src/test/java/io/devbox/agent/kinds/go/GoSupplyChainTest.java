package io.devbox.agent.kinds.go;

import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Which mirrors the profile may name: a checksum from a mirror's own listing is trusted only over HTTPS or file://. */
class GoSupplyChainTest {
    private static final String SUM = "a".repeat(64);

    private static GoSpecParser.Parsed parse(String yaml) throws ProfileException {
        return GoSpecParser.parse(TestNodes.yaml("profiles/go.yaml", yaml), "/home/dev");
    }

    private static String errors(String yaml) {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> parse(yaml));
        assertThat(e).as("refused: " + yaml).isNotNull();
        return String.join("\n", e.errors().stream().map(ProfileError::render).toList());
    }

    @Test
    void aPlainHttpMirrorWithoutPinnedChecksumsIsRefusedAtTheMirrorLine() {
        String msg = errors("versions: [\"1.22.5\", \"1.21.12\"]\nchecksums: {\"1.22.5\": " + SUM + "}\nmirror: http://mirror.example.com/go/\n");
        assertThat(msg).startsWith("profiles/go.yaml:3:9: go.mirror is plain HTTP")
                .contains("[1.21.12]", "go.insecure: true").doesNotContain("1.22.5]");
    }

    @Test
    void pinnedChecksumsMakeAnyTransportAcceptable() {
        assertThatCode(() -> parse("versions: [\"1.22.5\"]\nchecksums: {\"1.22.5\": " + SUM + "}\nmirror: http://m.example.com/\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void httpsFileAndDirectoryMirrorsMayListTheirChecksums() throws Exception {
        for (String m : new String[]{"https://m.example.com/go/", "file:///srv/go/", "/srv/go"}) {
            assertThat(parse("versions: [\"1.22.5\"]\nmirror: " + m + "\n").mirror()).isEqualTo(m);
        }
    }

    @Test
    void insecureAcceptsAPlainHttpListingExplicitly() throws Exception {
        assertThat(parse("versions: [\"1.22.5\"]\nmirror: http://m.example.com/\ninsecure: true\n").mirror()).isEqualTo("http://m.example.com/");
        assertThat(errors("versions: [\"1.22.5\"]\nmirror: http://m.example.com/\ninsecure: false\n")).contains("plain HTTP");
        assertThat(errors("versions: [\"1.22.5\"]\ninsecure: maybe\n")).contains("go.insecure");
    }

    @Test
    void credentialsInTheMirrorUrlAreRefusedWithoutEchoingThem() {
        String msg = errors("versions: [\"1.22.5\"]\nmirror: https://alice:s3cr3t@m.example.com/go/\n");
        assertThat(msg).contains("profiles/go.yaml:2:9: go.mirror may not carry credentials").doesNotContain("s3cr3t", "alice");
        assertThat(GoSpecParser.hasUserInfo("https://m.example.com/a@b")).isFalse();
        assertThat(GoSpecParser.hasUserInfo("https://tok@m.example.com/")).isTrue();
    }
}
