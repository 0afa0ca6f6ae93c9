package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Account;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.BoxFs;
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
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Optional;

/**
 * Installs, upgrades in place and deletes runner directories, with the download, checksum and extraction code the go
 * kind uses ({@link Downloader}, {@link TarGzExtractor}). A new version is prepared under a temp name beside the install
 * directory and renamed into place; an upgrade carries the registration ({@code .runner}, {@code .credentials},
 * {@code .credentials_rsaparams}, {@code .env}, {@code .path}) and {@code _work} over, so it needs no new token.
 */
final class RunnerInstaller {
    private static final long MAX_DOWNLOAD = 1L << 30;
    /** .runner, .credentials and their like are a few kilobytes. */
    private static final long KEPT_FILE_CAP = 1L << 20;

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

    /**
     * Installs {@code s.version()} into {@code s.installDir()}, keeping an existing registration. The parent of the
     * install directory is root's (checked at plan time and here): root extracts, renames and deletes only there, and
     * reads the old tree (runAs's) through {@link BoxFs}.
     */
    void install(RunnerSpec s, Host host) throws ResourceException {
        Path dir = host.path(s.installDir());
        Path parent = dir.getParent();
        requireRootOnlyParent(host, s.installDir());
        try {
            Files.createDirectories(parent);
            FileTrees.removeLeftovers(parent);
        } catch (IOException e) {
            throw new ResourceException("cannot prepare " + parent + ": " + e.getMessage(), e);
        }
        boolean exists = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (exists && !(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && hasMarker(host, dir))) {
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
            RunnerFiles.VersionAnswer v = RunnerFiles.version(host, staged, s.runAs());
            if (!s.version().equals(v.version())) {
                throw new ResourceException("the archive " + url + " is not runner " + s.version() + ": "
                        + (v.problem() != null ? v.problem() : "bin/Runner.Listener reports " + v.version()) + "; nothing installed");
            }
            BoxFs fs = host.fs();
            if (exists) {
                for (String keep : RunnerLayout.KEPT) {
                    // the old tree is runAs's: its files are read without following links, and only regular files are kept
                    Path from = dir.resolve(keep);
                    Optional<BoxFs.Entry> e = fs.stat(from);
                    if (e.isEmpty() || e.get().kind() != BoxFs.Entry.Kind.FILE) continue;
                    Optional<byte[]> content = fs.read(from, KEPT_FILE_CAP, "a runner registration file");
                    if (content.isPresent()) {
                        fs.write(staged.resolve(keep), content.get(), PosixFilePermissions.toString(e.get().permissions()), false);
                    }
                }
            }
            String marker = "version=" + s.version() + "\nsha256=" + s.sha256() + "\nsource=" + url + "\ninstalled=" + Times.iso(Instant.now()) + "\n";
            fs.write(staged.resolve(RunnerLayout.MARKER), marker.getBytes(StandardCharsets.UTF_8), "rw-r--r--", false);
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
                    // old and dir are entries of the root-only parent, which no user can swap; rename(2) does not
                    // follow the last component, so a _work that is a link moves as the link
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

    /**
     * Deletes an install directory the agent made (marker present): renamed first inside the root-only parent, so a
     * crash leaves a temp name, then deleted relative to directory handles ({@link FileTrees}): the tree is runAs's,
     * and a job that swaps a directory for a link mid-way cannot make root delete anything outside it.
     */
    static void delete(Host host, String installDir) throws ResourceException {
        Path dir = host.path(installDir);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        if (!hasMarker(host, dir)) {
            throw new ResourceException(installDir + " was not installed by devbox-agent; not deleting it");
        }
        requireRootOnlyParent(host, installDir);
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

    /** The agent's completion marker is in {@code dir} (a regular file, not a link). */
    static boolean hasMarker(Host host, Path dir) throws ResourceException {
        try {
            return host.fs().stat(dir.resolve(RunnerLayout.MARKER)).filter(e -> e.kind() == BoxFs.Entry.Kind.FILE).isPresent();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    /**
     * Why root may not install a runner into {@code installDir}: its parent, where root extracts, renames and deletes,
     * is not root-only all the way up. Null when it is.
     */
    static String parentProblem(Host host, String installDir) {
        Path dir = host.path(installDir);
        try {
            BoxFs fs = host.fs();
            return fs.userControl(dir.getParent())
                    .map(why -> why + "; root extracts, renames and deletes runner trees in " + fs.shown(dir.getParent())
                            + ", so only root may write there (e.g. the parent of " + RunnerLayout.DEFAULT_INSTALL_DIR + ")")
                    .orElse(null);
        } catch (IOException e) {
            return "cannot check who controls its parent: " + e.getMessage();
        }
    }

    private static void requireRootOnlyParent(Host host, String installDir) throws ResourceException {
        String problem = parentProblem(host, installDir);
        if (problem != null) throw new ResourceException("not installing into " + installDir + ": " + problem);
    }

    /**
     * Hands the staged tree to the runner's user (config.sh and the runner write into it), when that is another
     * account. Children first, the top last: until the very end the tree sits in a directory only root can write, so
     * the user cannot swap anything under the walk.
     */
    private static void giveTree(Path tree, Host host, String user) throws IOException, ResourceException {
        Optional<Account> account = RunnerUser.account(host, user);
        if (account.isEmpty()) return;
        UserPrincipal owner;
        GroupPrincipal group;
        var lookup = tree.getFileSystem().getUserPrincipalLookupService();
        owner = lookup.lookupPrincipalByName(Integer.toString(account.get().uid()));
        group = lookup.lookupPrincipalByGroupName(Integer.toString(account.get().gid()));
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                own(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) throw exc;
                own(d);
                return FileVisitResult.CONTINUE;
            }

            private void own(Path p) throws IOException {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                view.setGroup(group);
            }
        });
    }
}
