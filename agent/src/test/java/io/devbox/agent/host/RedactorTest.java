package io.devbox.agent.host;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    @Test
    void urlPasswordsAndTokensAreHiddenWherePlainTextIsKept() {
        assertThat(Redactor.redact("fetching https://alice:s3cr3t@git.example.com/x.git failed"))
                .isEqualTo("fetching https://alice:***@git.example.com/x.git failed");
        assertThat(Redactor.redact("{\"repo\":\"ssh://git:pw@host:22/x\"}")).isEqualTo("{\"repo\":\"ssh://git:***@host:22/x\"}");
        assertThat(Redactor.redact("token ghp_" + "a".repeat(36) + ".")).isEqualTo("token ***.");
        assertThat(Redactor.redact("ssh://git@host/x.git and user@example.com and https://host/a@b")).isEqualTo(
                "ssh://git@host/x.git and user@example.com and https://host/a@b");
        assertThat(Redactor.redact("sysctl[vm.swappiness] 60 -> 10")).isEqualTo("sysctl[vm.swappiness] 60 -> 10");
    }

    @Test
    void redactingTwiceChangesNothingAndMasksKeepADigest() {
        String once = Redactor.redact("https://u:p@h/");
        assertThat(Redactor.redact(once)).isEqualTo(once);
        String a = Redactor.mask("https://ci:one@proxy/");
        String b = Redactor.mask("https://ci:two@proxy/");
        assertThat(a).startsWith("https://ci:***@proxy/ (*** sha256:").doesNotContain("one");
        assertThat(a).as("a changed secret still shows as a change").isNotEqualTo(b);
        assertThat(Redactor.mask("https://ci:one@proxy/")).as("deterministic").isEqualTo(a);
        assertThat(Redactor.redact(a)).isEqualTo(a);
        assertThat(Redactor.mask("plain")).isEqualTo("plain");
        assertThat(Redactor.maskWhole("tok")).startsWith("*** sha256:").doesNotContain("tok");
    }

    @Test
    void theStreamRedactsLinesEvenWhenWrittenByteByByte() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = Redactor.stream(sink);
        for (byte b : "a https://u:SECRET@h/x\npartial https://u:SEC".getBytes(StandardCharsets.UTF_8)) out.write(b);
        out.write("RET@h/ end\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("a https://u:***@h/x\npartial https://u:***@h/ end\n")
                .doesNotContain("SECRET");
    }
}
