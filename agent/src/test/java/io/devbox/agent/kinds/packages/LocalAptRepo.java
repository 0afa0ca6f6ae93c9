package io.devbox.agent.kinds.packages;

import io.devbox.agent.testing.SystemTests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A flat apt repository in a directory ({@code deb [trusted=yes] file:/DIR ./}): tiny packages built with
 * {@code dpkg-deb}, indexed with {@code apt-ftparchive}. Each package installs {@code /usr/share/NAME/VERSION}
 * holding its version, so a test can see which one dpkg unpacked.
 */
public final class LocalAptRepo {
    private final Path dir;
    private final Path build;

    public LocalAptRepo(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.build = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".build"));
    }

    public static void requirePrerequisites() {
        SystemTests.requireCommand("dpkg-deb");
        SystemTests.requireCommand("apt-ftparchive");
    }

    /** Builds NAME_VERSION_all.deb; {@code postinst} (a shell script body, or null) runs at configure. */
    public LocalAptRepo add(String name, String version, String depends, String postinst) throws IOException, InterruptedException {
        Path root = build.resolve(name + "_" + version);
        Path debian = Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(debian.resolve("control"), "Package: " + name + "\nVersion: " + version + "\nArchitecture: all\n"
                + "Maintainer: devbox-agent tests <tests@devbox.invalid>\n"
                + (depends != null ? "Depends: " + depends + "\n" : "")
                + "Description: devbox-agent test package " + name + "\n a tiny package made by a system test\n");
        if (postinst != null) {
            Path script = debian.resolve("postinst");
            Files.writeString(script, "#!/bin/sh\nset -e\n" + postinst + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path share = Files.createDirectories(root.resolve("usr/share").resolve(name));
        Files.writeString(share.resolve("VERSION"), version + "\n");
        SystemTests.sh(List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(),
                dir.resolve(name + "_" + version.replace(':', '%') + "_all.deb").toString()));
        return this;
    }

    /** Writes Packages and Release for what was added so far. */
    public LocalAptRepo index() throws IOException, InterruptedException {
        SystemTests.Result p = SystemTests.run(List.of("apt-ftparchive", "packages", "."), Map.of(), dir, Duration.ofMinutes(1));
        if (p.exitCode() != 0) throw new AssertionError("apt-ftparchive packages: " + p.all());
        Files.writeString(dir.resolve("Packages"), p.stdout());
        Files.deleteIfExists(dir.resolve("Release"));
        SystemTests.Result r = SystemTests.run(List.of("apt-ftparchive", "release", "."), Map.of(), dir, Duration.ofMinutes(1));
        if (r.exitCode() != 0) throw new AssertionError("apt-ftparchive release: " + r.all());
        Files.writeString(dir.resolve("Release"), r.stdout());
        return this;
    }

    public Path dir() {
        return dir;
    }
}
