package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IniDocument;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.host.Territory;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Managed files: {@code file[PATH]} per entry of {@code files}. Every read and write goes through {@link BoxFs}: in a
 * tree a user controls (their home) the file is opened relative to directory handles, never through a link, capped
 * at {@link #CAP}, and written by hand-over so that it stays the user's; elsewhere it is written atomically as root.
 * A managed path that is a link, a directory or a special file is an error, never followed or replaced. All changes
 * of one file are made in one write ({@link FileEdit}).
 */
public final class FilesReconciler implements Reconciler<FileResource, FileObserved> {
    /** The largest file the kind reads: config files, not data. */
    static final long CAP = 1L << 20;

    @Override
    public String kind() {
        return FilesKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return FilesKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<FileResource> desired(Node section, DesiredContext context) throws ProfileException {
        return FileSpecParser.parse(section, context);
    }

    @Override
    public FileObserved probe(FileResource d, Host host) throws ResourceException {
        try {
            BoxFs fs = host.fs();
            Path real = host.path(d.path());
            BoxFs.Entry entry = regularOrAbsent(d, fs, real);
            Owners owners = owners(d, host, fs, real, entry != null);
            Optional<byte[]> bytes = entry == null ? Optional.empty() : fs.read(real, CAP, "a managed file");
            if (bytes.isEmpty()) return FileObserved.absent();
            String text = FileText.of(bytes.get());
            boolean wholeWritten = d.whole() || d.writtenContent() != null;
            Map<String, String> blocks = new LinkedHashMap<>();
            Map<String, String> prefixes = new LinkedHashMap<>();
            for (String name : d.blocks().keySet()) {
                String prefix = d.commentPrefix() != null ? d.commentPrefix() : Blocks.prefixOf(text, name).orElse(null);
                if (prefix == null) continue;
                Blocks.Found f = Blocks.find(text, prefix).get(name);
                if (f != null) {
                    blocks.put(name, f.body());
                    prefixes.put(name, prefix);
                }
            }
            Map<String, String> ini = new LinkedHashMap<>();
            if (!d.ini().isEmpty()) {
                IniDocument doc = FileRender.ini(text);
                for (String k : d.ini().keySet()) FileRender.iniValue(doc, k).ifPresent(v -> ini.put(k, v));
            }
            boolean emptyAfter = d.presence().isAbsent() && d.created() && FileRender.render(text, d).isBlank();
            KeptFiles keptFiles = new KeptFiles(host.stateDir());
            KeptFiles.Copy kept = d.presence().isAbsent() && d.writtenContent() != null && !d.created()
                    ? keptFiles.find(d.path()).orElse(null) : null;
            Map<String, KeptFiles.Was> iniBefore = new LinkedHashMap<>();
            String modeBefore = null;
            if (d.presence().isAbsent()) {
                for (String k : d.ini().keySet()) keptFiles.iniBefore(d.path(), k).ifPresent(w -> iniBefore.put(k, w));
                modeBefore = keptFiles.modeBefore(d.path()).orElse(null);
            }
            return new FileObserved(true, FileText.sha256(bytes.get()), wholeWritten ? text : null, blocks, prefixes, ini,
                    octal(entry.permissions()), owners.owner(), owners.group(), emptyAfter, kept, iniBefore, modeBefore);
        } catch (Blocks.BlockProblem e) {
            throw new ResourceException(d.path() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ResourceException(IoErrors.describe(e), e);
        }
    }

    /** The entry at {@code real} when it is a regular file, null when there is none; anything else is an error. */
    static BoxFs.Entry regularOrAbsent(FileResource d, BoxFs fs, Path real) throws IOException, ResourceException {
        Optional<BoxFs.Entry> entry = fs.stat(real);
        if (entry.isPresent() && entry.get().kind() != BoxFs.Entry.Kind.FILE) {
            throw new ResourceException(d.path() + " is " + describe(entry.get().kind()) + "; the agent manages regular files "
                    + "only and neither follows nor replaces it");
        }
        return entry.orElse(null);
    }

    @Override
    public List<Change> diff(FileResource desired, FileObserved observed) {
        return FileDiff.diff(desired, observed);
    }

    /** A file that is there is changed ({@code ~}), even when all the agent adds to it is a new block. */
    @Override
    public boolean exists(FileResource desired, FileObserved observed, List<Change> changes) {
        return observed.exists();
    }

    @Override
    public void apply(FileResource desired, Change change, Host host) throws ResourceException {
        apply(desired, List.of(change), host, new ArrayList<>());
    }

    /** All changes of one file: each op edits the text as it is now, then one atomic write. */
    @Override
    public void apply(FileResource desired, List<Change> changes, Host host, List<Change> done) throws ResourceException {
        FileEdit edit;
        try {
            edit = FileEdit.open(desired, host);
        } catch (IOException e) {
            throw new ResourceException(IoErrors.describe(e), e);
        }
        for (Change c : changes) Operation.of(c, FileOp.class).applyWith(edit);
        edit.commit();
        done.addAll(changes);
    }

    /**
     * A file that left the profiles: the blocks and keys the agent wrote go; the file itself only when the agent created
     * it and nothing else is left in it, or, written whole, when nobody changed it since (a file that was there before
     * gets its earlier text back).
     */
    @Override
    public Optional<FileResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (!resourceId.startsWith("file[/") || !resourceId.endsWith("]")) return Optional.empty();
        String path = resourceId.substring("file[".length(), resourceId.length() - 1);
        if (SafePaths.absoluteProblem(path).isPresent()) return Optional.empty();
        Map<String, String> blocks = new LinkedHashMap<>();
        Map<String, String> ini = new LinkedHashMap<>();
        String suffix = Change.stateKey("", Layer.PERSISTED);
        for (String key : lastApplied.keySet()) {
            if (!key.endsWith(suffix)) continue;
            String field = key.substring(0, key.length() - suffix.length());
            if (field.startsWith(FileOp.BLOCK) && FileResource.BLOCK_NAME.matcher(field.substring(FileOp.BLOCK.length())).matches()) {
                blocks.put(field.substring(FileOp.BLOCK.length()), null);
            } else if (field.startsWith(FileOp.INI) && IniKey.NAME.matcher(field.substring(FileOp.INI.length())).matches()) {
                ini.put(field.substring(FileOp.INI.length()), null);
            }
        }
        return Optional.of(new FileResource(path, null, blocks, null, ini, null, null, null, Presence.absent(lastApplied), null));
    }

    private record Owners(String owner, String group) {
    }

    /**
     * The owner and group, read only when the profile sets them, in the form it uses (a name, or a number). Only in a
     * root-only directory: a file in a user's tree belongs to that user.
     */
    private static Owners owners(FileResource d, Host host, BoxFs fs, Path real, boolean exists) throws IOException, ResourceException {
        if (d.owner() == null && d.group() == null) return new Owners(null, null);
        Territory t = fs.territory(real.getParent());
        if (t instanceof Territory.UserControlled u) {
            throw new ResourceException(d.path() + " lies in a tree " + u.controller().describe() + " controls (" + u.reason()
                    + "); files there belong to that user, so owner and group cannot be set");
        }
        if (!exists) return new Owners(null, null);
        Path resolved = ((Territory.RootOnly) t).resolved().resolve(real.getFileName().toString());
        int uid = (Integer) Files.getAttribute(resolved, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(resolved, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        BoxAccounts accounts = new BoxAccounts(host);
        return new Owners(d.owner() == null ? null : shown(d.owner(), uid, accounts, BoxAccounts.Db.PASSWD),
                d.group() == null ? null : shown(d.group(), gid, accounts, BoxAccounts.Db.GROUP));
    }

    /** An id as the profile writes it: a number stays a number, else the box's name for it (the number when none). */
    private static String shown(String wanted, int id, BoxAccounts accounts, BoxAccounts.Db db) throws IOException {
        if (wanted.chars().allMatch(Character::isDigit)) return String.valueOf(id);
        return accounts.name(db, id).orElse(String.valueOf(id));
    }

    static String octal(Set<PosixFilePermission> p) {
        int bits = 0;
        for (PosixFilePermission x : p) bits |= 1 << (8 - x.ordinal());
        return String.format("%04o", bits);
    }

    /** {@code rw-r--r--} for {@code 0644}. */
    static String permissions(String octal) {
        int bits = Integer.parseInt(octal, 8);
        StringBuilder sb = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) sb.append((bits & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        return PosixFilePermissions.toString(PosixFilePermissions.fromString(sb.toString()));
    }

    private static String describe(BoxFs.Entry.Kind k) {
        return switch (k) {
            case DIRECTORY -> "a directory";
            case SYMLINK -> "a symbolic link";
            default -> "not a regular file";
        };
    }
}
