package io.devbox.agent.enrol;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnrolmentFileTest {
    @TempDir
    Path root;

    @Test
    void writesTheConfig0644InADirectory0755() throws Exception {
        EnrolmentFile f = new EnrolmentFile(root);
        assertThat(f.isUnenrolledText()).as("absent").isTrue();
        f.write("repo: \"x\"\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path()))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path().getParent()))).isEqualTo("rwxr-xr-x");
        assertThat(f.read().repo()).isEqualTo("x");
        f.write(EnrolmentFile.unenrolled());
        assertThat(f.isUnenrolledText()).isTrue();
        assertThat(f.read().enrols()).isFalse();
    }

    private static Enrolment enrolment(String repo) {
        return new Enrolment(repo, null, null, null, null, java.util.Map.of(), null, null, null, false, null, null, false);
    }

    @Test
    void enrollingAgainChangesNothingAndAnotherEnrolmentNeedsForce() throws Exception {
        EnrolmentFile f = new EnrolmentFile(root);
        f.write(EnrolmentFile.unenrolled());
        assertThat(f.enrol(enrolment("/a"), false, "devbox-agent", "t1")).isEqualTo(new EnrolmentFile.Outcome.Written(false));
        String first = Files.readString(f.path());
        assertThat(f.enrol(enrolment("/a"), false, "devbox-agent", "t2")).isEqualTo(new EnrolmentFile.Outcome.Unchanged());
        assertThat(Files.readString(f.path())).isEqualTo(first);
        assertThat(f.enrol(enrolment("/b"), false, "devbox-agent", "t3"))
                .isEqualTo(new EnrolmentFile.Outcome.Refused(java.util.List.of("repo: /a -> /b")));
        assertThat(Files.readString(f.path())).isEqualTo(first);
        assertThat(f.enrol(enrolment("/b"), true, "devbox-agent", "t4")).isEqualTo(new EnrolmentFile.Outcome.Written(true));
        assertThat(f.read().repo()).isEqualTo("/b");
        assertThat(f.unenrol()).isTrue();
        assertThat(f.isUnenrolledText()).isTrue();
        assertThat(f.unenrol()).as("a second time").isFalse();
    }

    @Test
    void anInvalidConfigIsReplacedOnlyWithForce() throws Exception {
        EnrolmentFile f = new EnrolmentFile(root);
        f.write("repo: [not, a, string]\n");
        assertThat(f.enrol(enrolment("/a"), false, "devbox-agent", "t")).isInstanceOf(EnrolmentFile.Outcome.Invalid.class);
        assertThat(Files.readString(f.path())).isEqualTo("repo: [not, a, string]\n");
        assertThat(f.enrol(enrolment("/a"), true, "devbox-agent", "t")).isEqualTo(new EnrolmentFile.Outcome.Written(false));
        f.write("repo: [not, a, string]\n");
        assertThat(f.unenrol()).isTrue();
        assertThat(f.isUnenrolledText()).isTrue();
    }

    @Test
    void refusesADirectoryOthersCanWrite() throws Exception {
        Path dir = Files.createDirectories(root.resolve("etc/devbox-agent"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> new EnrolmentFile(root).write("repo: \"x\"\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("writable by group or others").hasMessageContaining("chmod 755");
        assertThat(dir.resolve("agent.yaml")).doesNotExist();
    }

    @Test
    void refusesALinkInPlaceOfTheDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/devbox-agent"), elsewhere);
        assertThatThrownBy(() -> new EnrolmentFile(root).write("repo: \"x\"\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("not a directory");
        assertThat(elsewhere.resolve("agent.yaml")).doesNotExist();
    }

    @Test
    void refusesADirectoryOwnedBySomeoneElse() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path dir = Files.createDirectories(root.resolve("etc/devbox-agent"));
        Files.setAttribute(dir, "unix:uid", 65534);
        assertThatThrownBy(() -> new EnrolmentFile(root).write("repo: \"x\"\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("owned by uid 65534");
    }
}
