package io.devbox.agent.kinds.sysctl;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SysctlValueTest {
    /** The regex form it replaced. */
    private static String byRegex(String raw) {
        String t = raw.strip();
        return t.isEmpty() ? "" : String.join(" ", t.split("\\s+"));
    }

    @Test
    void normalizesLikeTheRegexSplit() {
        assertThat(SysctlValue.normalize(null)).isNull();
        assertThat(SysctlValue.normalize("4096\t131072\t6291456\n")).isEqualTo("4096 131072 6291456");
        assertThat(SysctlValue.normalize("  1   2 ")).isEqualTo("1 2");
        assertThat(SysctlValue.normalize("reno cubic")).isEqualTo("reno cubic");
        assertThat(SysctlValue.normalize(" \t\n")).isEmpty();
        char[] alphabet = {' ', '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1F, 0x85, 0xA0, 0x2003, 0x3000, 'a', '1', '-', 'é'};
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            char[] s = new char[random.nextInt(8)];
            for (int j = 0; j < s.length; j++) s[j] = alphabet[random.nextInt(alphabet.length)];
            String raw = new String(s);
            assertThat(SysctlValue.normalize(raw)).as("%s", raw.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(byRegex(raw));
        }
    }
}
