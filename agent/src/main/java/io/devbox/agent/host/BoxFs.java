package io.devbox.agent.host;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one way kinds read and write files of the box, enforcing the privilege boundary: <b>what lies under a path a
 * non-root user can write is data from that user.</b> {@link TrustWalk} decides, walking from the root, whether a path
 * is root-only or lies in a tree a user controls ({@link Territory}); for root-only paths the operations are the plain
 * ones ({@link AtomicFiles}); in a user's tree every operation works relative to directory handles opened from the
 * root-only anchor without following links ({@link HandleChain}), checks owner and type before use, caps what it reads,
 * and never follows, chowns or deletes anything through a link:
 * <ul>
 * <li>reads refuse links, FIFOs, devices, directories and files owned by someone else than the tree's user, and files
 * over the caller's cap ({@link UnsafePathException.TooLarge}, read at most cap + 1 bytes, never the whole file);</li>
 * <li>writes create a temp file relative to the held handle, fsync it, hand it to the directory's owner through the
 * handle and rename it into place through the handle ({@link HandOver});</li>
 * <li>missing directories are created one component at a time by the tree's user ({@code setpriv mkdir}, so the kernel
 * refuses a directory the user could not make) and opened again through the handle before use;</li>
 * <li>deletes are {@code unlinkat} relative to the handle; whole trees go through {@link FileTrees}.</li>
 * </ul>
 * Kinds choose per resource whether root works through this class or the work runs as the user
 * ({@link Commands#runAs}); either way the kernel or these checks, never the user's links, decide what root touches.
 *
 * <p>Over 300 lines because every operation must apply the same trust decision and handle discipline; one class keeps
 * that boundary in one place to audit.
 */
public final class BoxFs {
    private static final Duration MKDIR_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final TrustedOwners trusted;
    private final TrustWalk walk;

    BoxFs(Host host) throws IOException {
        this.host = host;
        this.trusted = TrustedOwners.ofThisProcess();
        this.walk = new TrustWalk(host.root(), trusted.selfUid(), this::shown);
    }

    /** Whether {@code path} is root-only or lies in a tree a user controls, and from where. */
    public Territory territory(Path path) throws IOException {
        return walk.of(path);
    }

    /**
     * Where the entry {@code path} names lies, its last component not resolved: for operations on the entry itself
     * (stat, replace, delete), which must not follow even root's own link there. In a root-only directory the entry is
     * root's to handle by path; in a user's directory it is reached through handles.
     */
    private Territory entry(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) return territory(abs);
        String name = abs.getFileName().toString();
        Territory t = territory(parent);
        if (t instanceof Territory.RootOnly r) return new Territory.RootOnly(r.resolved().resolve(name), r.shared());
        Territory.UserControlled u = (Territory.UserControlled) t;
        List<String> below = new ArrayList<>(u.below());
        below.add(name);
        return new Territory.UserControlled(u.anchor(), below, u.controller(), u.reason());
    }

    /**
     * Why {@code path} is not root-only all the way up (some component owned by another user, or writable by group or
     * others, a sticky {@code /tmp} included), or empty when only root can change what it names: the test before root
     * executes anything from it or installs anything into it.
     */
    public Optional<String> userControl(Path path) throws IOException {
        Territory t = territory(path);
        if (t instanceof Territory.UserControlled u) return Optional.of(u.reason());
        return Optional.ofNullable(((Territory.RootOnly) t).shared());
    }

    /** A path as messages show it: the box path under a {@code --root} sandbox. */
    public String shown(Path real) {
        Path root = host.root().toAbsolutePath().normalize();
        Path p = real.toAbsolutePath().normalize();
        if (host.sandboxed() && p.startsWith(root)) return "/" + root.relativize(p);
        return p.toString();
    }

    /** What {@link #stat} and {@link #list} see of an entry, without following a link. */
    public record Entry(String name, Kind kind, Set<PosixFilePermission> permissions, long size) {
        public enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

        static Entry of(String name, PosixFileAttributes a) {
            Kind k = a.isRegularFile() ? Kind.FILE : a.isDirectory() ? Kind.DIRECTORY : a.isSymbolicLink() ? Kind.SYMLINK : Kind.OTHER;
            return new Entry(name, k, a.permissions(), a.size());
        }

        /** Some execute bit is set (what root's access(X_OK) and git look at). */
        public boolean executable() {
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE) || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        }
    }

    /** The entry {@code path} names, not following a link (not even root's own); empty when it does not exist. */
    public Optional<Entry> stat(Path path) throws IOException {
        Territory t = entry(path);
        if (t instanceof Territory.RootOnly r) {
            try {
                return Optional.of(Entry.of(name(r.resolved()), Files.readAttributes(r.resolved(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size() - 1, false)) {
            PosixFileAttributes a = c.lstat(last(u));
            return a == null ? Optional.empty() : Optional.of(Entry.of(last(u), a));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The content of the regular file {@code file}, read whole up to {@code cap} bytes; empty when it does not exist.
     * Over the cap is {@link UnsafePathException.TooLarge} ("… more than the 1.0 MiB {@code what} may have").
     */
    public Optional<byte[]> read(Path file, long cap, String what) throws IOException {
        Territory t = territory(file);
        if (t instanceof Territory.RootOnly r) {
            PosixFileAttributes a;
            try {
                a = Files.readAttributes(r.resolved(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            FileChecks.requireRegular(a, shown(r.resolved()), cap, what);
            try (SeekableByteChannel ch = Files.newByteChannel(r.resolved(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(FileChecks.readCapped(ch, shown(r.resolved()), cap, what));
            }
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size() - 1, false)) {
            Path where = u.path();
            PosixFileAttributes a = c.lstat(last(u));
            if (a == null) return Optional.empty();
            if (a.isSymbolicLink()) throw c.notFollowed(where);
            FileChecks.requireRegular(a, shown(where), cap, what);
            c.checkOwner(a, where);
            try (SeekableByteChannel ch = c.dir().newByteChannel(Path.of(last(u)), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                return Optional.of(FileChecks.readCapped(ch, shown(where), cap, what));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The entries of directory {@code dir}, links not followed. */
    public List<Entry> list(Path dir) throws IOException {
        Territory t = territory(dir);
        Path real = t instanceof Territory.RootOnly r ? r.resolved() : ((Territory.UserControlled) t).path();
        List<Entry> out = new ArrayList<>();
        if (t instanceof Territory.RootOnly) {
            try (SecureDirectoryStream<Path> s = HandleChain.openAnchor(real)) {
                for (Path p : s) {
                    Path n = p.getFileName();
                    out.add(Entry.of(n.toString(), s.getFileAttributeView(n, java.nio.file.attribute.PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).readAttributes()));
                }
            }
            return out;
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size(), false)) {
            List<Path> names = new ArrayList<>();
            for (Path p : c.dir()) names.add(p.getFileName());
            for (Path n : names) {
                PosixFileAttributes a = c.lstat(n.toString());
                if (a != null) out.add(Entry.of(n.toString(), a));
            }
        }
        return out;
    }

    /**
     * Writes {@code content} to {@code file} atomically. {@code mode} like "rw-r--r--", or null to keep the file's
     * mode (0644 for a new one). In a user's tree the file (and every directory made for it) belongs to that user; in
     * root's territory it belongs to root, or with {@code forDeveloper} to the developer, as files root made in a
     * root-owned home always have.
     */
    public void write(Path file, byte[] content, String mode, boolean forDeveloper) throws IOException {
        Territory t = entry(file);
        if (t instanceof Territory.RootOnly r) {
            Path parent = r.resolved().getParent();
            if (forDeveloper) Ownership.createDirectoriesFor(parent, host.facts());
            else Files.createDirectories(parent);
            AtomicFiles.write(r.resolved(), content, mode);
            if (forDeveloper) Ownership.giveTo(r.resolved(), host.facts());
            return;
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size() - 1, true)) {
            HandOver.write(c, trusted, last(u), u.path(), content, mode);
        }
    }

    /** As {@link #write}, only when the content or the mode differ; returns whether it wrote. */
    public boolean writeIfChanged(Path file, byte[] content, String mode, boolean forDeveloper) throws IOException {
        Optional<Entry> e = stat(file);
        if (e.isPresent() && e.get().kind() == Entry.Kind.FILE
                && (mode == null || e.get().permissions().equals(PosixFilePermissions.fromString(mode)))
                && e.get().size() == content.length
                && java.util.Arrays.equals(read(file, content.length, "the file").orElse(null), content)) {
            return false;
        }
        write(file, content, mode, forDeveloper);
        return true;
    }

    /** Removes the file (or link) {@code file}, never a directory; returns whether there was one. */
    public boolean delete(Path file) throws IOException {
        Territory t = entry(file);
        if (t instanceof Territory.RootOnly r) return AtomicFiles.delete(r.resolved());
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size() - 1, false)) {
            PosixFileAttributes a = c.lstat(last(u));
            if (a == null) return false;
            if (a.isDirectory()) throw new UnsafePathException(c.shown(u.path()) + " is a directory; not deleting it");
            c.dir().deleteFile(Path.of(last(u)));
            HandOver.fsync(c.dir());
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Renames the entry {@code from} of directory {@code dir} to {@code to} (replacing it), not following links. */
    public void rename(Path dir, String from, String to) throws IOException {
        Territory t = territory(dir);
        if (t instanceof Territory.RootOnly r) {
            Files.move(r.resolved().resolve(from), r.resolved().resolve(to), StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(r.resolved());
            return;
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size(), false)) {
            c.dir().move(Path.of(from), c.dir(), Path.of(to));
            HandOver.fsync(c.dir());
        }
    }

    /** Creates the missing directories of {@code dir} (see {@link #write} for whom they belong to). */
    public void createDirectories(Path dir, boolean forDeveloper) throws IOException {
        Territory t = territory(dir);
        if (t instanceof Territory.RootOnly r) {
            if (forDeveloper) Ownership.createDirectoriesFor(r.resolved(), host.facts());
            else Files.createDirectories(r.resolved());
            return;
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        chain(u, u.below().size(), true).close();
    }

    /** Deletes {@code path} and everything under it, relative to directory handles ({@link FileTrees}). */
    public void deleteTree(Path path) throws IOException {
        Territory t = entry(path);
        if (t instanceof Territory.RootOnly r) {
            FileTrees.deleteRecursively(r.resolved());
            return;
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size() - 1, false)) {
            FileTrees.deleteEntry(c.dir(), Path.of(last(u)), shown(u.path()));
        } catch (NoSuchFileException e) {
            // nothing to delete
        }
    }

    /** Removes the temp files a killed run left in {@code dir} (see {@link AtomicFiles#removeLeftovers}). */
    public void removeLeftovers(Path dir) throws IOException {
        Territory t = territory(dir);
        if (t instanceof Territory.RootOnly r) {
            AtomicFiles.removeLeftovers(r.resolved());
            return;
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        try (HandleChain c = chain(u, u.below().size(), false)) {
            List<Path> names = new ArrayList<>();
            for (Path p : c.dir()) {
                if (p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) names.add(p.getFileName());
            }
            for (Path n : names) {
                PosixFileAttributes a = c.lstat(n.toString());
                if (a != null && (a.isRegularFile() || a.isSymbolicLink()) && AtomicFiles.isStale(n.toString(), a.lastModifiedTime())) {
                    c.dir().deleteFile(n);
                }
            }
        } catch (NoSuchFileException e) {
            // no directory, no leftovers
        }
    }

    private HandleChain chain(Territory.UserControlled u, int depth, boolean create) throws IOException {
        return HandleChain.open(u, depth, trusted, this::shown, create ? this::mkdirAs : null);
    }

    /** A missing directory in a user's tree is made by that user: the kernel refuses what the user could not do. */
    private void mkdirAs(Path real, Territory.Controller as) throws IOException {
        if (!as.bound()) {
            throw new UnsafePathException("no single user owns " + shown(real.getParent()) + "; the agent does not create " + shown(real) + " there");
        }
        Account who = Account.of(as);
        CommandResult r = host.commands().runAs(who, List.of("mkdir", "-m", "0755", "--", real.toString()), Map.of(), null, MKDIR_TIMEOUT);
        if (!r.ok()) throw new IOException("cannot create " + shown(real) + " as " + who.describe() + ": " + r.describe());
    }

    private static String last(Territory.UserControlled u) {
        return u.below().get(u.below().size() - 1);
    }

    private static String name(Path p) {
        Path n = p.getFileName();
        return n == null ? "/" : n.toString();
    }
}
