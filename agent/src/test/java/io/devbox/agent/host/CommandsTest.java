package io.devbox.agent.host;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What a program run with {@link Commands#runIsolated} sees of the agent's environment. */
class CommandsTest {
    @Test
    void anIsolatedProgramGetsPathLocaleTimeZoneAndWhatItIsGivenOnly() throws Exception {
        CommandResult r = new Commands().runIsolated(List.of("env"), Map.of("GOFLAGS", "-mod=mod"), null, Duration.ofSeconds(10));
        assertThat(r.ok()).as(r.describe()).isTrue();
        Set<String> names = new TreeSet<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> names.add(l.substring(0, l.indexOf('='))));
        assertThat(names).contains("GOFLAGS").isSubsetOf("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "GOFLAGS", "PWD", "SHLVL", "_");
        assertThat(r.stdout()).contains("GOFLAGS=-mod=mod\n");
        // what the agent's own environment has (HOME, USER, maven's and the JVM's variables) stays out
        assertThat(System.getenv()).containsKey("HOME");
        assertThat(names).doesNotContain("HOME", "USER", "JAVA_HOME", "MAVEN_CMD_LINE_ARGS");
    }
}
