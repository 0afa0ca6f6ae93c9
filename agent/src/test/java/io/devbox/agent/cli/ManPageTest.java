package io.devbox.agent.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Man pages rendered from the picocli model, and their gzip as Debian wants it. */
class ManPageTest {
    private static CommandSpec spec(String... path) {
        CommandLine c = AgentCommand.commandLine(new String[0], "devbox-agent");
        for (String p : path) c = c.getSubcommands().get(p);
        return c.getCommandSpec();
    }

    @Test
    void aCommandsPageHasItsOwnOptionsAndPointsAtTheTopPageForTheCommonOnes() {
        String page = ManPage.render(spec("enroll"), "1.2~SNAPSHOT-1");
        assertThat(page).startsWith(".TH DEVBOX\\-AGENT\\-ENROLL 1 \"\" \"devbox\\-agent 1.2~SNAPSHOT\\-1\"")
                .contains(".SH NAME\ndevbox\\-agent\\-enroll \\- make this box follow a profile repository\n",
                        ".SH SYNOPSIS\n.B devbox\\-agent enroll\n", "\\fB\\-\\-dry\\-run\\fR\n", "\\fB\\-\\-interval\\fR \\fID\\fR\n",
                        ".BR devbox\\-agent (1)")
                .doesNotContain("\\-\\-repo\\fR", "\\fB\\-\\-lock\\-wait");
    }

    @Test
    void theTopPageListsTheCommonOptionsAndEveryCommand() {
        String page = ManPage.render(spec(), "1");
        assertThat(page).contains("\\fB\\-\\-repo\\fR \\fIURL|DIR\\fR", "${hostname}", ".BR devbox\\-agent\\-leave (1)",
                ".BR devbox\\-agent\\-history (1)", "(default: 5)");
        assertThat(ManPage.render(spec("history", "show"), "1")).contains(".SH ARGUMENTS", ".BR devbox\\-agent\\-history (1)");
    }

    @Test
    void textIsEscapedForGroff() {
        assertThat(ManPage.roman(".starts with a dot")).isEqualTo("\\&.starts with a dot");
        assertThat(ManPage.roman("'quote")).isEqualTo("\\&'quote");
        assertThat(ManPage.roman("a\\b -x `code`")).isEqualTo("a\\eb \\-x \\fBcode\\fR");
    }

    @Test
    void gzipIsMaximumCompressionWithoutNameOrTime() throws Exception {
        byte[] data = "x".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        byte[] gz = PackageDocs.gzip(data);
        assertThat(gz[3]).as("flags: no name").isZero();
        assertThat(new byte[]{gz[4], gz[5], gz[6], gz[7]}).as("mtime").containsOnly(0);
        assertThat(gz[8]).as("XFL: maximum compression").isEqualTo((byte) 2);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }
}
