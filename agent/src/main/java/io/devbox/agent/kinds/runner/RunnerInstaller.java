package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.FileTrees;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.host.Times;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Instant;

/**
 * Installs, upgrades in place and deletes runner directories, with the download, checksum and extraction code the go
 * kind uses ({@link Downloader}, {@link TarGzExtractor}). A new version is prepared under a temp name beside the install
 * directory and renamed into place; an upgrade carries the registration ({@code .runner}, {@code .credentials},
 * {@code .credentials_rsaparams}, {@code .env}, {@code .path}) and {@code _work} over, so it needs no new token.
 */
final class RunnerInstaller {
    private static final long MAX_DOWNLOAD = 1L << 30;

    private final Downloader downloader;
    private final TarGzExtractor extractor;

    RunnerInstaller(Downloader downloader, TarGzExtractor extractor) {
        this.downloader = downloader;
        this.extractor = extractor;
    }

    /** The download URL: {@code <mirror>/v<V>/actions-runner-linux-<arch>-<V>.tar.gz}. */
    static String url(RunnerSpec s) {
        return Downloader.child(Downloader.child(s.mirror(), "v" + s.version()), RunnerLayout.tarball(s.version()));
    }

    /** Installs {@code s.version()} into {@code s.installDir()}, keeping an existing registration. */
    void install(RunnerSpec s, Host host) throws ResourceException {
        Path dir = host.path(s.installDir());
        Path parent = dir.getParent();
        try {
            Files.createDirectories(parent);
            FileTrees.removeLeftovers(parent);
        } catch (IOException e) {
            throw new ResourceException("cannot prepare " + parent + ": " + e.getMessage(), e);
        }
        boolean exists = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (exists && !(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(dir.resolve(RunnerLayout.MARKER), LinkOption.NOFOLLOW_LINKS))) {
            throw new ResourceException(s.installDir() + " exists but was not installed by devbox-agent; move it away (unregister "
                    + "that runner first) or choose another runner.installDir");
        }
        String url = url(s);
        Path tarball = null;
        Path staged = null;
        Path old = null;
        try {
            tarball = downloader.fetchVerified(url, parent, MAX_DOWNLOAD, s.sha256()).file();
            staged = extractor.extractToTemp(tarball, parent, 0);
            if (!Files.isRegularFile(staged.resolve("config.sh")) || !Files.isRegularFile(staged.resolve("runsvc.sh"))) {
                throw new ResourceException("the archive " + url + " is not a runner package (no config.sh or runsvc.sh); nothing installed");
            }
            RunnerFiles.VersionAnswer v = RunnerFiles.version(host, staged);
            if (!s.version().equals(v.version())) {
                throw new ResourceException("the archive " + url + " is not runner " + s.version() + ": "
                        + (v.problem() != null ? v.problem() : "bin/Runner.Listener reports " + v.version()) + "; nothing installed");
            }
            if (exists) {
                for (String keep : RunnerLayout.KEPT) {
                    Path from = dir.resolve(keep);
                    if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
                        Files.copy(from, staged.resolve(keep), StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING,
                                LinkOption.NOFOLLOW_LINKS);
                    }
                }
            }
            String marker = "version=" + s.version() + "\nsha256=" + s.sha256() + "\nsource=" + url + "\ninstalled=" + Times.iso(Instant.now()) + "\n";
            AtomicFiles.write(staged.resolve(RunnerLayout.MARKER), marker.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            giveTree(staged, host, s.runAs());
            if (exists) {
                old = parent.resolve(AtomicFiles.TEMP_PREFIX + "old-" + dir.getFileName());
                FileTrees.deleteRecursively(old);
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
            staged = null;
            if (old != null) {
                for (String keep : RunnerLayout.KEPT) {
                    Path from = old.resolve(keep);
                    if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) Files.move(from, dir.resolve(keep), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            AtomicFiles.fsyncDirectory(parent);
        } catch (Downloader.ChecksumMismatch e) {
            throw new ResourceException(e.getMessage() + " (runner.sha256 must be the sha256 of " + RunnerLayout.tarball(s.version())
                    + " from the release notes); nothing installed", e);
        } catch (IOException e) {
            throw new ResourceException("cannot install runner " + s.version() + " into " + s.installDir() + ": " + e.getMessage()
                    + (exists ? "" : "; nothing installed"), e);
        } finally {
            try {
                if (tarball != null) Files.deleteIfExists(tarball);
                if (staged != null) FileTrees.deleteRecursively(staged);
                if (old != null) FileTrees.deleteRecursively(old);
                FileTrees.removeLeftovers(parent);
            } catch (IOException e) {
                // temp names: the next run removes them
            }
        }
    }

    /** Deletes an install directory the agent made (marker present); renamed first so a crash leaves a temp name. */
    static void delete(Host host, String installDir) throws ResourceException {
        Path dir = host.path(installDir);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isRegularFile(dir.resolve(RunnerLayout.MARKER), LinkOption.NOFOLLOW_LINKS)) {
            throw new ResourceException(installDir + " was not installed by devbox-agent; not deleting it");
        }
        Path parent = dir.getParent();
        try {
            Path trash = parent.resolve(AtomicFiles.TEMP_PREFIX + "removed-" + dir.getFileName());
            FileTrees.deleteRecursively(trash);
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(parent);
            FileTrees.deleteRecursively(trash);
        } catch (IOException e) {
            throw new ResourceException("cannot delete " + installDir + ": " + e.getMessage(), e);
        }
    }

    /** As root on the real box, hands the tree to the runner's user (config.sh and the runner write into it). */
    private static void giveTree(Path tree, Host host, String user) throws IOException {
        if (!host.facts().root() || host.sandboxed() || user == null || user.equals("root")) return;
        UserPrincipal owner;
        var lookup = tree.getFileSystem().getUserPrincipalLookupService();
        try {
            owner = lookup.lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("the runner's user " + user + " (runner.runAs) does not exist on this box", null);
        }
        java.nio.file.attribute.GroupPrincipal group;
        try {
            group = lookup.lookupPrincipalByGroupName(user);
        } catch (UserPrincipalNotFoundException e) {
            group = null;
        }
        java.nio.file.attribute.GroupPrincipal g = group;
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                own(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                own(f);
                return FileVisitResult.CONTINUE;
            }

            private void own(Path p) throws IOException {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                if (g != null) view.setGroup(g);
            }
        });
    }
}
