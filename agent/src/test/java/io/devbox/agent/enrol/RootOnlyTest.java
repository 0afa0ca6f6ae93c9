package io.devbox.agent.enrol;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RootOnlyTest {
    @TempDir
    Path tmp;

    @Test
    void aSystemProgramIsRootsAlone() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "owners are checked against root");
        assertThat(RootOnly.problem(Path.of("/usr/bin/env"))).isEmpty();
    }

    @Test
    void aFileUnderAWorldWritableDirectoryIsNot() throws Exception {
        Path f = Files.writeString(tmp.resolve("wsl-start"), "#!/bin/sh\n");
        assertThat(RootOnly.problem(f)).hasValueSatisfying(p -> assertThat(p).contains("writable by group or others"));
    }

    @Test
    void aFileOwnedBySomeoneElseIsNot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path f = Files.writeString(tmp.resolve("agent"), "#!/bin/sh\n");
        Files.setAttribute(f, "unix:uid", 65534);
        assertThat(RootOnly.problem(f)).hasValueSatisfying(p -> assertThat(p).startsWith(f + " is owned by uid 65534"));
    }
}
