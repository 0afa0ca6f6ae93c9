package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IniDocument;
import io.devbox.agent.host.IoErrors;
import io.devbox.agent.host.Territory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link FileOp} steps of one apply of one file: each op edits the text read at the start (the box's text now, not
 * the plan's), and {@link #commit} writes the result once, atomically, through {@link BoxFs}. So a file is never left
 * half-edited, and applying the same ops again finds nothing to change.
 */
final class FileEdit implements FileOp.Steps {
    private final FileResource desired;
    private final Host host;
    private final BoxFs fs;
    private final Path real;
    private final KeptFiles kept;
    private final String before;
    private final String modeBefore;
    private String text;
    private String mode;
    private String owner;
    private String group;
    private boolean delete;
    /**
     * What the box had before, as the plan saw it (the ops' {@code from}: also right when a stale plan is applied
     * again), kept the first time only: the whole text, the mode, per INI key its value (null: none).
     */
    private String textWas;
    private String modeWas;
    private KeptFiles.Copy restore;
    private final Map<String, String> iniBefore = new HashMap<>();

    private FileEdit(FileResource desired, Host host, BoxFs fs, Path real, String before, String modeBefore) {
        this.desired = desired;
        this.host = host;
        this.fs = fs;
        this.real = real;
        this.kept = new KeptFiles(host.stateDir());
        this.before = before;
        this.modeBefore = modeBefore;
        this.text = before;
    }

    /** Reads the file as it is now (null text when absent); a link or a special file there is an error. */
    static FileEdit open(FileResource d, Host host) throws ResourceException, IOException {
        BoxFs fs = host.fs();
        Path real = host.path(d.path());
        BoxFs.Entry entry = FilesReconciler.regularOrAbsent(d, fs, real);
        String text = entry == null ? null : FileText.of(fs.read(real, FilesReconciler.CAP, "a managed file").orElse(new byte[0]));
        return new FileEdit(d, host, fs, real, text, entry == null ? null : FilesReconciler.octal(entry.permissions()));
    }

    @Override
    public void create(FileOp.CreateFile op) {
        if (text == null) text = "";
    }

    @Override
    public void setContent(FileOp.SetContent op) {
        // a whole write over a file that was there: keep what was there, to give it back on removal
        textWas = op.before();
        text = op.text();
    }

    @Override
    public void setBlock(FileOp.SetBlock op) throws ResourceException {
        text = blocks(op.prefix(), op.name(), op.body());
    }

    @Override
    public void removeBlock(FileOp.RemoveBlock op) throws ResourceException {
        if (text != null && op.prefix() != null) text = blocks(op.prefix(), op.name(), null);
    }

    private String blocks(String prefix, String name, String body) throws ResourceException {
        Map<String, String> one = new HashMap<>();
        one.put(name, body);
        try {
            return Blocks.apply(text == null ? "" : text, prefix, one);
        } catch (Blocks.BlockProblem e) {
            throw new ResourceException(desired.path() + ": " + e.getMessage());
        }
    }

    @Override
    public void setIni(FileOp.SetIni op) throws ResourceException {
        IniDocument doc = ini();
        IniKey k = IniKey.parse(op.key());
        iniBefore.put(op.key(), op.from());
        doc.set(k.section(), k.key(), op.value());
        text = FileText.of(doc.toBytes());
    }

    @Override
    public void unsetIni(FileOp.UnsetIni op) throws ResourceException {
        if (text == null) return;
        IniDocument doc = ini();
        IniKey k = IniKey.parse(op.key());
        if (doc.remove(k.section(), k.key())) text = FileText.of(doc.toBytes());
    }

    private IniDocument ini() throws ResourceException {
        try {
            return FileRender.ini(text == null ? "" : text);
        } catch (Blocks.BlockProblem e) {
            throw new ResourceException(desired.path() + ": " + e.getMessage());
        }
    }

    @Override
    public void setMode(FileOp.SetMode op) {
        modeWas = op.from();
        mode = op.to();
    }

    @Override
    public void setOwner(FileOp.SetOwner op) {
        owner = op.to();
    }

    @Override
    public void setGroup(FileOp.SetGroup op) {
        group = op.to();
    }

    @Override
    public void delete(FileOp.DeleteFile op) {
        delete = true;
    }

    @Override
    public void restore(FileOp.RestoreFile op) {
        restore = op.kept();
    }

    /** Writes what the ops made of the file, once. */
    void commit() throws ResourceException {
        try {
            if (delete) {
                fs.delete(real);
                kept.drop(desired.path());
                return;
            }
            if (restore != null) {
                if (text != null) fs.write(real, FileText.bytes(restore.text()), FilesReconciler.permissions(restore.mode()), forDeveloper());
                kept.drop(desired.path());
                return;
            }
            if (text == null) return;
            boolean removal = desired.presence().isAbsent();
            if (!removal) keepWhatWasThere();
            String wantMode = mode != null ? mode : desired.mode();
            String letters = wantMode != null ? FilesReconciler.permissions(wantMode) : before == null ? "rw-r--r--" : null;
            fs.writeIfChanged(real, FileText.bytes(text), letters, forDeveloper());
            if (owner != null || group != null) chown();
            // what the agent kept of the file went back with this removal
            if (removal) kept.drop(desired.path());
        } catch (IOException e) {
            throw new ResourceException(IoErrors.describe(e), e);
        }
    }

    /** Before the first change of a file that was there: its text and mode, or a key's value, as they were. */
    private void keepWhatWasThere() throws IOException {
        if (textWas != null) kept.keepOnce(desired.path(), new KeptFiles.Copy(textWas, modeWas != null ? modeWas : modeBefore));
        if (modeWas != null) kept.keepModeOnce(desired.path(), modeWas);
        for (Map.Entry<String, String> e : iniBefore.entrySet()) kept.keepIniOnce(desired.path(), e.getKey(), e.getValue());
    }

    /** lchown in a root-only directory (no user can put a link there between the write and this). */
    private void chown() throws IOException, ResourceException {
        if (!(fs.territory(real.getParent()) instanceof Territory.RootOnly r)) {
            throw new ResourceException(desired.path() + " lies in a tree a user controls; its owner and group are that user's");
        }
        Path resolved = r.resolved().resolve(real.getFileName().toString());
        BoxAccounts accounts = new BoxAccounts(host);
        if (owner != null) {
            int uid = accounts.id(BoxAccounts.Db.PASSWD, owner).orElseThrow(() -> noSuch("user", owner));
            Files.setAttribute(resolved, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        }
        if (group != null) {
            int gid = accounts.id(BoxAccounts.Db.GROUP, group).orElseThrow(() -> noSuch("group", group));
            Files.setAttribute(resolved, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private ResourceException noSuch(String what, String name) {
        return new ResourceException(desired.path() + ": the box has no " + what + " " + name
                + (host.sandboxed() ? " (names under --root are those of the sandbox's /etc/passwd and /etc/group)" : ""));
    }

    /** A file under the developer's home that root makes in a root-owned part of it is still the developer's. */
    private boolean forDeveloper() {
        String home = host.facts().home();
        return home != null && !home.equals("/") && desired.path().startsWith(home.endsWith("/") ? home : home + "/");
    }
}
