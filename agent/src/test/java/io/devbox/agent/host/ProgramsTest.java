package io.devbox.agent.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class ProgramsTest {
    @TempDir
    Path tmp;

    private Path file(String dir, String name, String mode) throws Exception {
        Path p = Files.createDirectories(tmp.resolve(dir)).resolve(name);
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void theFirstExecutableFileOnPathWinsThenTheFallbacks() throws Exception {
        file("a", "tool", "rw-r--r--");                       // not executable
        Files.createDirectories(tmp.resolve("b/tool"));       // a directory of that name
        Path c = file("c", "tool", "rwxr-xr-x");
        Path d = file("d", "tool", "rwxr-xr-x");
        String path = tmp.resolve("a") + "::" + tmp.resolve("b") + ":" + tmp.resolve("c") + ":" + tmp.resolve("d");
        assertThat(Programs.find(path, "tool")).contains(c);

        Path usual = file("usual", "tool", "rwxr-xr-x");
        assertThat(Programs.find(tmp.resolve("a").toString(), "tool", tmp.resolve("nowhere/tool").toString(), usual.toString()))
                .contains(usual);
        assertThat(Programs.find("", "tool")).isEmpty();
    }
}
