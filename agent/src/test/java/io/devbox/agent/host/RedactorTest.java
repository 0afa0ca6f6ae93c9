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

    /** Block writes (what a PrintWriter does): several lines in one write, a secret split across writes, a tail. */
    @Test
    void theStreamRedactsEveryLineOfABlockWrite() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = Redactor.stream(sink);
        byte[] text = "one https://u:S1@h/\ntwo https://u:S2@h/\nthree https://u:S".getBytes(StandardCharsets.UTF_8);
        out.write(text, 0, text.length);
        assertThat(sink.toString(StandardCharsets.UTF_8)).as("whole lines are passed on at once")
                .isEqualTo("one https://u:***@h/\ntwo https://u:***@h/\n");
        byte[] rest = "xx3@h/\nfour".getBytes(StandardCharsets.UTF_8);
        out.write(rest, 2, rest.length - 2);
        out.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8))
                .isEqualTo("one https://u:***@h/\ntwo https://u:***@h/\nthree https://u:***@h/\nfour")
                .doesNotContain("S1").doesNotContain("S2").doesNotContain("S3");
    }

    static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokensInAnyCaseAndBase64EncodedAreHiddenToo() {
        String token = "ghp_" + "Ab1".repeat(12);
        assertThat(Redactor.redact("echo " + token.toUpperCase())).isEqualTo("echo ***");
        assertThat(Redactor.redact("GITHUB_PAT_" + "x".repeat(30))).isEqualTo("***");
        assertThat(Redactor.redact("Authorization: Basic " + b64("x-access-token:" + token))).isEqualTo("Authorization: Basic ***");
        assertThat(Redactor.redact("creds=" + b64("https://ci:hunter2hunter2@git.example.com/"))).isEqualTo("creds=***");
        String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("\u00ff\u00fe" + token).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Redactor.redact("{\"blob\": \"" + urlSafe + "\"}")).isEqualTo("{\"blob\": \"***\"}");
        // ordinary long base64 (a sha256 fingerprint, an ssh key) stays
        String fp = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
        assertThat(Redactor.redact(fp)).isEqualTo(fp);
        String hex = "9c1d".repeat(16);
        assertThat(Redactor.redact(hex)).isEqualTo(hex);
    }

    @Test
    void aKnownSecretIsScrubbedAsItIsInAnyCaseAndBase64Encoded() {
        String token = "AABQ3XJKLMN7TOKEN0REGISTRATION42";
        String output = String.join("\n",
                "token " + token,
                "lower " + token.toLowerCase(),
                "basic " + b64(token),
                "inside " + b64("{\"token\":\"" + token + "\"}"),
                "shifted xyz" + b64("ab:" + token),
                "url " + java.util.Base64.getUrlEncoder().encodeToString(("\u00fb\u00ff" + token).getBytes(StandardCharsets.ISO_8859_1)),
                "unrelated " + b64("nothing to see here, just text"));
        String scrubbed = Redactor.scrub(output, token, "[redacted]");
        assertThat(scrubbed).isEqualTo(String.join("\n",
                "token [redacted]", "lower [redacted]", "basic [redacted]", "inside [redacted]", "shifted [redacted]",
                "url [redacted]", "unrelated " + b64("nothing to see here, just text")));
        assertThat(Redactor.scrub(output, null, "x")).isEqualTo(output);
        assertThat(Redactor.scrub(output, "", "x")).isEqualTo(output);
        assertThat(Redactor.scrub("ab " + token, token)).isEqualTo("ab ***");
    }
}
