package io.devbox.agent.host;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {
    @Test
    void everyControlIsShownAsAnEscape() {
        assertThat(Printable.escape("GOPROXY=\u001b]0;OWNED\u0007\u001b[2J...")).isEqualTo("GOPROXY=\\e]0;OWNED\\u0007\\e[2J...");
        assertThat(Printable.escape("a\r\n\tb\0")).isEqualTo("a\\r\\n\\tb\\0");
        assertThat(Printable.escape("del\u007f c1\u0085\u009b\u0080")).isEqualTo("del\\u007f c1\\u0085\\u009b\\u0080");
        assertThat(Printable.escape("bidi\u202e\u2066\u2069\u200f\u061c ls\u2028ps\u2029"))
                .isEqualTo("bidi\\u202e\\u2066\\u2069\\u200f\\u061c ls\\u2028ps\\u2029");
        for (char c = 0; c < 0x20; c++) assertThat(Printable.isUnsafe(c)).as("U+%04X", (int) c).isTrue();
        for (char c = 0x7f; c < 0xa0; c++) assertThat(Printable.isUnsafe(c)).as("U+%04X", (int) c).isTrue();
    }

    @Test
    void printableTextIsLeftAloneAndEscapingTwiceChangesNothing() {
        String plain = "C:\\Users\\dev  é ✓ 日本 😀 ~!@#$%^&*()";
        assertThat(Printable.escape(plain)).isSameAs(plain);
        String once = Printable.escape("x\u001b[31my\u009b");
        assertThat(Printable.escape(once)).isEqualTo(once);
        assertThat(Printable.escape((String) null)).isNull();
    }

    @Test
    void structuralLineFeedsCanBeKept() {
        assertThat(Printable.escapeKeepingLines("line 1\nline\u001b[2K 2\r\n")).isEqualTo("line 1\nline\\e[2K 2\\r\n");
    }
}
