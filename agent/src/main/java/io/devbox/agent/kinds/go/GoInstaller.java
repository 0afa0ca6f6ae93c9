package io.devbox.agent.kinds.go;

import io.devbox.agent.host.Json;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.FileTrees;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.host.Times;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs, verifies and removes toolchain directories. A version directory counts as installed only with the
 * completion marker and when its {@code bin/go version} reports that version. Everything is prepared under a temp
 * name and renamed into place, so a killed run never leaves a version that counts as installed half-done.
 */
final class GoInstaller {
    private static final long MAX_DOWNLOAD = 1L << 30;
    private static final long MAX_LISTING = 64L << 20;
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

    private final Downloader downloader;
    private final TarGzExtractor extractor;
    /** Per run: mirror to (file name to sha256), or the reason the listing could not be read. */
    private final Map<String, Object> listings = new HashMap<>();

    GoInstaller(Downloader downloader, TarGzExtractor extractor) {
        this.downloader = downloader;
        this.extractor = extractor;
    }

    /** Read-only: the state of a version directory. */
    static GoObserved.VersionState inspect(Host host, String boxDir, String version) throws ResourceException {
        Path dir = host.path(boxDir);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return new GoObserved.VersionState(false, false, null);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return new GoObserved.VersionState(true, false, "not a directory");
        boolean marker = Files.isRegularFile(dir.resolve(GoLayout.MARKER), LinkOption.NOFOLLOW_LINKS);
        return new GoObserved.VersionState(true, marker, versionProblem(host, dir, version));
    }

    /**
     * Why {@code dir/bin/go version} does not report {@code version}, or null when it does. Root runs {@code bin/go}
     * only when no other user can change it (it and every directory above it root-owned and unwritable by others): a
     * toolchain a user could swap is reported, not run.
     */
    static String versionProblem(Host host, Path dir, String version) throws ResourceException {
        Path go = dir.resolve("bin/go");
        if (!Files.isExecutable(go)) return "bin/go is missing";
        try {
            var control = host.fs().userControl(go);
            if (control.isPresent()) return "not running bin/go: " + control.get();
        } catch (IOException e) {
            return "cannot check who controls bin/go: " + e.getMessage();
        }
        CommandResult r;
        try {
            // GOTOOLCHAIN=local and GOENV=off: the answer must come from this binary, never from a toolchain switch
            r = host.commands().run(List.of(go.toString(), "version"),
                    Map.of("GOTOOLCHAIN", "local", "GOENV", "off", "GOFLAGS", ""), dir, VERSION_TIMEOUT);
        } catch (IOException e) {
            return "bin/go cannot run: " + e.getMessage();
        }
        if (!r.ok()) return "bin/go version failed: " + r.describe();
        String out = r.stdout().strip();
        if (!out.startsWith("go version go" + version + " ")) {
            String first = out.lines().findFirst().orElse("");
            return "bin/go version reports '" + (first.length() > 80 ? first.substring(0, 80) + "..." : first) + "'";
        }
        return null;
    }

    void install(GoResource.Version v, Host host) throws ResourceException {
        Path installDir = host.path(v.installDir());
        Path target = host.path(v.dir());
        String file = GoLayout.tarball(v.version());
        try {
            Files.createDirectories(installDir);
            FileTrees.removeLeftovers(installDir);
        } catch (IOException e) {
            throw new ResourceException("cannot prepare " + v.installDir() + ": " + e.getMessage(), e);
        }
        GoObserved.VersionState before = inspect(host, v.dir(), v.version());
        if (before.exists() && !before.marker()) {
            throw new ResourceException(v.dir() + " exists but was not installed by devbox-agent; move it away or choose another go.installDir");
        }
        String sha = v.sha256() != null ? v.sha256() : listedSha256(v.mirror(), file);
        String url = Downloader.child(v.mirror(), file);
        Path tarball = null;
        Path staged = null;
        try {
            tarball = downloader.fetchVerified(url, installDir, MAX_DOWNLOAD, sha).file();
            staged = extractor.extractToTemp(tarball, installDir, 1);
            String problem = versionProblem(host, staged, v.version());
            if (problem != null) throw new ResourceException("the archive " + url + " is not Go " + v.version() + ": " + problem + "; nothing installed");
            String marker = "version=" + v.version() + "\nsha256=" + sha + "\nsource=" + url + "\ninstalled=" + Times.iso(Instant.now()) + "\n";
            host.fs().write(staged.resolve(GoLayout.MARKER), marker.getBytes(StandardCharsets.UTF_8), "rw-r--r--", false);
            if (before.exists()) {
                // our own directory, but broken: set it aside first (a crash here leaves the version absent, not half)
                Path old = installDir.resolve(AtomicFiles.TEMP_PREFIX + "old-go" + v.version());
                FileTrees.deleteRecursively(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            staged = null;
            AtomicFiles.fsyncDirectory(installDir);
        } catch (Downloader.ChecksumMismatch e) {
            throw new ResourceException(e.getMessage() + "; nothing installed", e);
        } catch (IOException e) {
            throw new ResourceException("cannot install Go " + v.version() + ": " + e.getMessage() + "; nothing installed", e);
        } finally {
            try {
                if (tarball != null) Files.deleteIfExists(tarball);
                if (staged != null) FileTrees.deleteRecursively(staged);
                FileTrees.removeLeftovers(installDir);
            } catch (IOException e) {
                // the next run removes what is left (temp names)
            }
        }
    }

    /** Removes a version directory, but only one the agent installed (marker present). */
    void remove(GoResource.Version v, Host host) throws ResourceException {
        Path installDir = host.path(v.installDir());
        Path target = host.path(v.dir());
        if (!Files.isRegularFile(target.resolve(GoLayout.MARKER), LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
            throw new ResourceException(v.dir() + " was not installed by devbox-agent; not removing it");
        }
        try {
            // rename first, so that a crash mid-delete leaves a temp name (cleaned later), not a half version
            Path trash = installDir.resolve(AtomicFiles.TEMP_PREFIX + "prune-go" + v.version());
            FileTrees.deleteRecursively(trash);
            Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(installDir);
            FileTrees.deleteRecursively(trash);
        } catch (IOException e) {
            throw new ResourceException("cannot remove " + v.dir() + ": " + e.getMessage(), e);
        }
    }

    /** The sha256 of {@code file} from the mirror's JSON listing (read once per run and mirror). */
    String listedSha256(String mirror, String file) throws ResourceException {
        Object cached = listings.computeIfAbsent(mirror, this::readListing);
        if (cached instanceof String reason) throw new ResourceException("no sha256 for " + file + ": " + reason);
        @SuppressWarnings("unchecked")
        Map<String, String> sums = (Map<String, String>) cached;
        String sha = sums.get(file);
        if (sha == null) {
            throw new ResourceException("no sha256 for " + file + ": not in go.checksums and not in the listing of " + mirror);
        }
        return sha;
    }

    /** The listing URL: go.dev style for http(s) mirrors, {@code index.json} in file and directory mirrors. */
    static String listingUrl(String mirror) {
        if (mirror.startsWith("http://") || mirror.startsWith("https://")) {
            String base = mirror.contains("?") || mirror.endsWith("/") ? mirror : mirror + "/";
            return base + (base.contains("?") ? "&" : "?") + "mode=json&include=all";
        }
        return Downloader.child(mirror, "index.json");
    }

    private Object readListing(String mirror) {
        String url = listingUrl(mirror);
        byte[] json;
        try {
            json = downloader.read(url, MAX_LISTING);
        } catch (IOException e) {
            return "cannot read the listing " + url + ": " + e.getMessage();
        }
        try {
            return parseListing(json);
        } catch (JacksonException | IllegalArgumentException e) {
            return "the listing " + url + " is not a Go release listing: " + e.getMessage();
        }
    }

    /** {@code [{version, files: [{filename, sha256, ...}]}]} to file name to sha256. */
    static Map<String, String> parseListing(byte[] json) {
        JsonNode root = Json.read(json);
        if (root == null || !root.isArray()) throw new IllegalArgumentException("expected a JSON array of releases");
        Map<String, String> sums = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode files = root.get(i).get("files");
            if (files == null || !files.isArray()) continue;
            for (int j = 0; j < files.size(); j++) {
                JsonNode f = files.get(j);
                JsonNode name = f.get("filename");
                JsonNode sha = f.get("sha256");
                if (name != null && name.isString() && sha != null && sha.isString() && Downloader.isSha256(sha.stringValue())) {
                    sums.put(name.stringValue(), sha.stringValue());
                }
            }
        }
        return sums;
    }
}
