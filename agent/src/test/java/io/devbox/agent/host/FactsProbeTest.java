package io.devbox.agent.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FactsProbeTest {
    @TempDir
    Path root;

    private FactsProbe probe(Map<String, String> env) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/bash
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                ada:x:1000:1000:Ada:/home/ada:/bin/bash
                bob:x:1001:1001:Bob:/srv/bob:/bin/bash
                """);
        return new FactsProbe(root, env);
    }

    @Test
    void theDeveloperIsTheOverrideThenSudoUserThenTheFirstRegularUser() throws IOException {
        assertThat(probe(Map.of("SUDO_USER", "ada")).developerUser("bob")).isEqualTo(new Passwd.Entry("bob", 1001, "/srv/bob"));
        assertThat(probe(Map.of("SUDO_USER", "bob")).developerUser(null)).isEqualTo(new Passwd.Entry("bob", 1001, "/srv/bob"));
        assertThat(probe(Map.of()).developerUser(null)).isEqualTo(new Passwd.Entry("ada", 1000, "/home/ada"));
    }

    @Test
    void aNamedUserThePasswdFileLacksGetsAHomeByConvention() throws IOException {
        assertThat(probe(Map.of("SUDO_USER", "carol")).developerUser(null)).isEqualTo(new Passwd.Entry("carol", -1, "/home/carol"));
    }

    @Test
    void withoutRegularUsersTheDeveloperIsTheInvokingUser() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        String self = System.getProperty("user.name");
        Passwd.Entry user = new FactsProbe(root, Map.of()).developerUser(null);
        assertThat(user.name()).isEqualTo(self);
    }
}
