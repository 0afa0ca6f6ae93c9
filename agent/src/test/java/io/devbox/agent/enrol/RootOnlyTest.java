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
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path f = Files.writeString(open.resolve("wsl-start"), "#!/bin/sh\n");
        assertThat(RootOnly.problem(f)).hasValueSatisfying(p -> assertThat(p).contains(open + " is writable by every user (mode 0777)"));
    }

    @Test
    void aStickyDirectoryAboveIsNoProblem() throws Exception {
        // like a checkout under /tmp: in a sticky directory nobody may rename or remove another's entry
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "owners are checked against root");
        Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Path f = Files.writeString(Files.createDirectory(sticky.resolve("checkout")).resolve("wsl-start"), "#!/bin/sh\n");
        assertThat(RootOnly.problem(f)).isEmpty();
    }

    @Test
    void aMissingFileIsAProblem() {
        assertThat(RootOnly.problem(tmp.resolve("gone"))).hasValueSatisfying(p -> assertThat(p).startsWith("cannot check " + tmp.resolve("gone")));
    }

    @Test
    void aFileOwnedBySomeoneElseIsNot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path f = Files.writeString(tmp.resolve("agent"), "#!/bin/sh\n");
        Files.setAttribute(f, "unix:uid", 65534);
        assertThat(RootOnly.problem(f)).hasValueSatisfying(p -> assertThat(p).startsWith(f + " is owned by ").contains("uid 65534"));
    }
}
