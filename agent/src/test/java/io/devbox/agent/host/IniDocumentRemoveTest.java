package io.devbox.agent.host;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class IniDocumentRemoveTest {
    private static String removed(String text, String section, String key) {
        IniDocument d = IniDocument.parse(text);
        d.remove(section, key);
        return new String(d.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void removesTheKeysLineAndKeepsEveryOtherLine() {
        String text = "# notes\n[boot]\nsystemd = false\ncommand = x   # mine\n\n[interop]\nenabled = true\n";
        assertThat(removed(text, "boot", "command")).isEqualTo("# notes\n[boot]\nsystemd = false\n\n[interop]\nenabled = true\n");
    }

    @Test
    void aSectionLeftEmptyGoesWithItsBlankLines() {
        assertThat(removed("[network]\nhostname = a\n\n[boot]\ncommand = x\n", "boot", "command")).isEqualTo("[network]\nhostname = a\n");
        assertThat(removed("[boot]\ncommand = x\n\n[network]\nhostname = a\n", "BOOT", "Command")).isEqualTo("[network]\nhostname = a\n");
        assertThat(removed("[boot]\ncommand = x\n", "boot", "command")).isEmpty();
    }

    @Test
    void aSectionWithACommentStays() {
        assertThat(removed("[boot]\n# keep this note\ncommand = x\n", "boot", "command")).isEqualTo("[boot]\n# keep this note\n");
    }

    @Test
    void anAbsentKeyChangesNothing() {
        IniDocument d = IniDocument.parse("[boot]\nsystemd = true\n");
        assertThat(d.remove("boot", "command")).isFalse();
        assertThat(new String(d.toBytes(), StandardCharsets.UTF_8)).isEqualTo("[boot]\nsystemd = true\n");
    }
}
