package io.devbox.agent.source;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.ProfileFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Profiles as they are on disk ({@code --worktree}, or a plain directory): for checking edits before committing. */
public final class DirectorySource implements ProfileSource {
    private final Path root;
    private final String path;

    public DirectorySource(Path root, String path) {
        this.root = root.toAbsolutePath().normalize();
        this.path = path;
    }

    @Override
    public Snapshot snapshot() throws SourceException {
        String rel = ProfilePaths.normalize(path);
        Path dir = rel.isEmpty() ? root : root.resolve(rel);
        if (!Files.isDirectory(dir)) throw new SourceException("no profiles directory " + dir);
        List<ProfileFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (ProfilePaths.isProfile(p.getFileName().toString())) {
                    String name = root.relativize(p).toString();
                    long size = Files.size(p);
                    files.add(size > ProfileFile.MAX_BYTES ? ProfileFile.unread(name, size)
                            : new ProfileFile(name, AtomicFiles.readNoFollow(p, ProfileFile.MAX_BYTES)));
                }
            }
        } catch (IOException e) {
            throw new SourceException("cannot read profiles under " + dir + ": " + IoErrors.describe(e), e);
        }
        return new Snapshot(root.toString(), null, null, files, this::read);
    }

    private Optional<byte[]> read(String repoRelative) throws IOException {
        Path p = SafePaths.under(root, repoRelative);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        return Optional.of(AtomicFiles.readNoFollow(p, TreeBlobs.MAX_REFERENCED_BYTES));
    }
}
