package io.devbox.agent.enrol;

import io.devbox.agent.config.AgentConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnrolmentTest {
    @TempDir
    Path tmp;

    private Enrolment read(String text) throws Exception {
        Path f = tmp.resolve("agent.yaml");
        Files.writeString(f, text);
        return Enrolment.of(AgentConfigLoader.load(f, null));
    }

    @Test
    void theWrittenConfigReadsBackAsTheSameEnrolment() throws Exception {
        Enrolment e = new Enrolment("git://127.0.0.1:9418/fleet", "main", "profiles", "report", Duration.ofSeconds(90),
                Map.of("team", "qa", "site", "berlin"), "dev-1", "dev", Path.of("/var/lib/x"), true,
                Path.of("/etc/devbox-agent/allowed_signers"), null, true);
        String text = e.render("devbox-agent", "2026-12-06T00:00:00Z");
        assertThat(text).contains("repo: \"git://127.0.0.1:9418/fleet\"   # --repo", "interval: \"1m30s\"   # --interval",
                "labels:                # --label", "  \"site\": \"berlin\"", "verify:", "  commits: true");
        assertThat(read(text)).isEqualTo(e);
        assertThat(read(text).differences(e)).isEmpty();
    }

    @Test
    void hostileValuesCannotChangeTheDocumentsShape() throws Exception {
        Enrolment e = new Enrolment("/srv/fleet\"\nmode: report # x", "a: b", "p\u001b[2J\\", null, null,
                Map.of("k", "v"), null, null, null, false, null, null, false);
        Enrolment back = read(e.render("devbox-agent", "now"));
        assertThat(back).isEqualTo(e);
        assertThat(back.mode()).isNull();
    }

    @Test
    void aLabelValueThatIsNoLabelNeverReadsBack() {
        // --label refuses it on the command line; a hand-edited file with it is refused where the config is read
        Enrolment e = new Enrolment("/srv/fleet", null, null, null, null, Map.of("k", "v\"\n#"), null, null, null, false, null, null, false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(e.render("devbox-agent", "now")))
                .hasMessageContaining("labels.k: not a label value");
    }

    @Test
    void thePackagesTextEnrolsNothing() throws Exception {
        Enrolment e = read(new String(EnrolmentFile.unenrolled(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(e.enrols()).isFalse();
    }

    @Test
    void differencesNameEachSetting() {
        Enrolment a = new Enrolment("r1", null, null, null, Duration.ofSeconds(5), Map.of(), null, null, null, false, null, null, false);
        Enrolment b = new Enrolment("r2", null, null, null, Duration.ofSeconds(7), Map.of("t", "x"), null, null, null, false, null, null, false);
        assertThat(a.differences(b)).containsExactly("repo: r1 -> r2", "interval: 5s -> 7s", "labels: {} -> {t=x}");
    }
}
