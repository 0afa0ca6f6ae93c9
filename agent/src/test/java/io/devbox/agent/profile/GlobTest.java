package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {
    @Test
    void matches() {
        assertThat(Glob.matches("dev-*", "dev-42")).isTrue();
        assertThat(Glob.matches("dev-*", "prod-1")).isFalse();
        assertThat(Glob.matches("dev-??", "dev-42")).isTrue();
        assertThat(Glob.matches("dev-??", "dev-420")).isFalse();
        assertThat(Glob.matches("dev-[0-4]2", "dev-42")).isTrue();
        assertThat(Glob.matches("dev-[!0-4]2", "dev-42")).isFalse();
        assertThat(Glob.matches("DEV-*", "dev-42")).isTrue();
        assertThat(Glob.matches("*-4*", "dev-42")).isTrue();
        assertThat(Glob.matches("*", "")).isTrue();
        assertThat(Glob.matches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(Glob.matches("a*b*c", "aXbYbZ")).isFalse();
        assertThat(Glob.matches("[]]x", "]x")).isTrue();
    }

    @Test
    void problems() {
        assertThat(Glob.problem("dev-[0-9")).contains("unterminated '[' in hostname glob 'dev-[0-9'");
        assertThat(Glob.problem("dev-]")).contains("unmatched ']' in hostname glob 'dev-]'");
        assertThat(Glob.problem("dev-[0-9]*")).isEmpty();
    }
}
