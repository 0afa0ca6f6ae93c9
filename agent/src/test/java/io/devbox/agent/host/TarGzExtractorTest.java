package io.devbox.agent.host;

import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.Tarballs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarGzExtractorTest {
    @TempDir
    Path tmp;

    private Path write(byte[] tgz) throws IOException {
        Path p = Files.createTempFile(tmp, "a", ".tar.gz");
        Files.write(p, tgz);
        return p;
    }

    private List<String> parentContents() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void extractsToolchainStrippingTheTopDirectory() throws Exception {
        Path archive = write(Tarballs.goToolchain("1.22.5").symlink("go/bin/gofmt", "go").hardlink("go/bin/go2", "go/bin/go").tarGz());
        Path target = tmp.resolve("out/go1.22.5");
        TarGzExtractor.standard().extractTo(archive, target, 1);
        assertThat(Files.readString(target.resolve("VERSION"))).startsWith("go1.22.5\n");
        assertThat(Files.isExecutable(target.resolve("bin/go"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("bin/gofmt"))).isEqualTo(Path.of("go"));
        assertThat(Files.isSameFile(target.resolve("bin/go2"), target.resolve("bin/go"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwxr-xr-x");
        assertThat(parentContents()).containsExactly("go1.22.5");
        String out = SystemTests.sh(List.of(target.resolve("bin/go").toString(), "version"));
        assertThat(out).isEqualTo("go version go1.22.5 linux/amd64\n");
    }

    @Test
    void readsGnuLongNamesAndPaxHeadersWrittenByGnuTar() throws Exception {
        SystemTests.requireCommand("tar");
        Path src = tmp.resolve("src");
        String deep = "d".repeat(60) + "/" + "e".repeat(60) + "/" + "f".repeat(70) + ".txt";
        Files.createDirectories(src.resolve("go").resolve(deep).getParent());
        Files.writeString(src.resolve("go").resolve(deep), "deep");
        Files.createSymbolicLink(src.resolve("go/l" + "x".repeat(120)), Path.of("d".repeat(60) + "/" + "e".repeat(60) + "/" + "f".repeat(70) + ".txt"));
        for (String format : List.of("gnu", "pax")) {
            Path archive = tmp.resolve(format + ".tar.gz");
            SystemTests.sh(List.of("tar", "--format=" + format, "-czf", archive.toString(), "-C", src.toString(), "go"));
            Path target = tmp.resolve("out/" + format);
            TarGzExtractor.standard().extractTo(archive, target, 1);
            assertThat(Files.readString(target.resolve(deep))).isEqualTo("deep");
            assertThat(Files.readString(target.resolve("l" + "x".repeat(120)))).isEqualTo("deep");
        }
    }

    @Test
    void refusesAbsoluteEntries() throws Exception {
        Path archive = write(new Tarballs().file("/etc/passwd-devbox-test", "x", 0644).tarGz());
        assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(archive, tmp.resolve("out/x"), 0))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("absolute path");
        assertThat(parentContents()).isEmpty();
        assertThat(Path.of("/etc/passwd-devbox-test")).doesNotExist();
    }

    @Test
    void refusesDotDotEntries() throws Exception {
        Path archive = write(new Tarballs().dir("go").file("go/../../escaped", "x", 0644).tarGz());
        assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(archive, tmp.resolve("out/x"), 1))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("'..'");
        assertThat(tmp.resolve("escaped")).doesNotExist();
        assertThat(parentContents()).isEmpty();
    }

    @Test
    void refusesEscapingSymlinks() throws Exception {
        for (Tarballs t : List.of(
                new Tarballs().dir("go").symlink("go/etc", "/etc"),
                new Tarballs().dir("go").symlink("go/up", "../.."),
                new Tarballs().dir("go").dir("go/a").symlink("go/a/up", "../.."),
                // '..' after a name could climb from wherever a symlink component points
                new Tarballs().dir("go").dir("go/sub").symlink("go/sub/q", "..").symlink("go/sub/s", "q/../x"))) {
            Path archive = write(t.tarGz());
            assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(archive, tmp.resolve("out/x"), 1))
                    .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("symlink");
            assertThat(parentContents()).isEmpty();
        }
    }

    @Test
    void neverWritesThroughASymlink() throws Exception {
        // the link itself stays inside, but a later entry tries to use it as a directory
        Path archive = write(new Tarballs().dir("go").dir("go/sub").symlink("go/link", "sub").file("go/link/x", "x", 0644).tarGz());
        assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(archive, tmp.resolve("out/x"), 1))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class);
        assertThat(parentContents()).isEmpty();
    }

    @Test
    void refusesEscapingHardLinksAndDevices() throws Exception {
        for (Tarballs t : List.of(
                new Tarballs().dir("go").hardlink("go/passwd", "/etc/passwd"),
                new Tarballs().dir("go").hardlink("go/passwd", "go/../../etc/passwd"),
                new Tarballs().dir("go").hardlink("go/x", "go/not-extracted-before"),
                new Tarballs().dir("go").fifo("go/fifo"))) {
            Path archive = write(t.tarGz());
            assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(archive, tmp.resolve("out/x"), 1))
                    .isInstanceOf(TarGzExtractor.UnsafeArchive.class);
            assertThat(parentContents()).isEmpty();
        }
    }

    @Test
    void refusesTruncatedAndCorruptArchives() throws Exception {
        byte[] good = Tarballs.goToolchain("1.22.5").tarGz();
        Path truncated = write(Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(truncated, tmp.resolve("out/x"), 1))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("truncated");
        byte[] tar = Tarballs.goToolchain("1.22.5").tar();
        Path noEnd = write(Tarballs.gzip(Arrays.copyOf(tar, 512 * 3)));
        assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(noEnd, tmp.resolve("out/x"), 1))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("truncated");
        tar[20] ^= 1;
        Path corrupt = write(Tarballs.gzip(tar));
        assertThatThrownBy(() -> TarGzExtractor.standard().extractTo(corrupt, tmp.resolve("out/x"), 1))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("checksum");
        assertThat(parentContents()).isEmpty();
    }

    @Test
    void enforcesTheSizeAndEntryCaps() throws Exception {
        Path archive = write(new Tarballs().file("a", "x".repeat(600), 0644).file("b", "y".repeat(600), 0644).tarGz());
        assertThatThrownBy(() -> new TarGzExtractor(1000, 100).extractTo(archive, tmp.resolve("out/x"), 0))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("more than 1000 bytes");
        assertThatThrownBy(() -> new TarGzExtractor(10_000, 1).extractTo(archive, tmp.resolve("out/x"), 0))
                .isInstanceOf(TarGzExtractor.UnsafeArchive.class).hasMessageContaining("entries");
        assertThat(parentContents()).isEmpty();
    }

    @Test
    void dropsSetuidBits() throws Exception {
        Path archive = write(new Tarballs().file("go/bin/tool", "#!/bin/sh\n", 04755).tarGz());
        Path target = tmp.resolve("out/t");
        TarGzExtractor.standard().extractTo(archive, target, 1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin/tool"), LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.getAttribute(target.resolve("bin/tool"), "unix:mode")).isEqualTo(0100755);
    }

    @Test
    void dropsGroupAndOtherWriteBitsSoNoUserCanReplaceWhatRootRuns() throws Exception {
        Path archive = write(new Tarballs().dir("go", 0777).dir("go/bin", 0775).file("go/bin/go", "#!/bin/sh\n", 0777)
                .file("go/VERSION", "go1.22.5\n", 0666).file("go/private", "x", 0600).tarGz());
        Path target = tmp.resolve("out/t");
        TarGzExtractor.standard().extractTo(archive, target, 1);
        assertThat(Files.getAttribute(target.resolve("bin/go"), "unix:mode")).isEqualTo(0100755);
        assertThat(Files.getAttribute(target.resolve("VERSION"), "unix:mode")).isEqualTo(0100644);
        assertThat(Files.getAttribute(target.resolve("private"), "unix:mode")).isEqualTo(0100600);
        assertThat(Files.getAttribute(target.resolve("bin"), "unix:mode")).isEqualTo(040755);
    }
}
