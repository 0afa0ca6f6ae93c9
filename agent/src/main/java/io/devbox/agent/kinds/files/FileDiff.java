package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pure: the fields of a managed file that differ, as {@link FileOp}s. Texts are compared by {@link FileText#describe}
 * (lines and digest), so a hand edit is a visible difference (drift) without printing the file.
 */
final class FileDiff {
    private FileDiff() {
    }

    static List<Change> diff(FileResource d, FileObserved o) {
        List<FileOp> ops = new ArrayList<>();
        if (d.presence().isAbsent()) removal(d, o, ops);
        else present(d, o, ops);
        return ops.stream().map(op -> Change.of(d.id(), d.origin(), op)).toList();
    }

    private static void present(FileResource d, FileObserved o, List<FileOp> ops) {
        if (!o.exists()) ops.add(new FileOp.CreateFile());
        if (d.whole()) {
            String want = FileText.fromProfile(d.content());
            if (!same(want, o.content())) ops.add(new FileOp.SetContent(o.content(), want));
        }
        for (Map.Entry<String, String> b : d.blocks().entrySet()) {
            String want = FileText.body(b.getValue());
            String have = o.blocks().get(b.getKey());
            if (!same(want, have)) ops.add(new FileOp.SetBlock(b.getKey(), d.commentPrefix(), have, want));
        }
        for (Map.Entry<String, String> k : d.ini().entrySet()) {
            String have = o.ini().get(k.getKey());
            if (!k.getValue().equals(have)) ops.add(new FileOp.SetIni(k.getKey(), have, k.getValue()));
        }
        if (d.mode() != null && !d.mode().equals(o.mode())) ops.add(new FileOp.SetMode(o.mode(), d.mode()));
        if (d.owner() != null && !d.owner().equals(o.owner())) ops.add(new FileOp.SetOwner(o.owner(), d.owner()));
        if (d.group() != null && !d.group().equals(o.group())) ops.add(new FileOp.SetGroup(o.group(), d.group()));
    }

    /** What goes when the file left the profiles: only what the agent wrote, and only while it is as the agent left it. */
    private static void removal(FileResource d, FileObserved o, List<FileOp> ops) {
        if (!o.exists()) return;
        String written = d.writtenContent();
        if (written != null) {
            // a file the agent wrote whole: untouched since, it goes (created) or gets its earlier text back (replaced)
            if (!written.equals(FileText.describe(o.content()))) return;
            if (d.created()) ops.add(new FileOp.DeleteFile(FileOp.CONTENT, o.content()));
            else if (o.kept() != null) ops.add(new FileOp.RestoreFile(o.content(), o.kept()));
            return;
        }
        for (String name : d.blocks().keySet()) {
            String have = o.blocks().get(name);
            if (have != null) ops.add(new FileOp.RemoveBlock(name, o.prefixes().get(name), have));
        }
        Presence.Absent absent = (Presence.Absent) d.presence();
        for (String key : d.ini().keySet()) {
            String have = o.ini().get(key);
            // only a value the agent set and nobody changed since is the agent's to take back
            if (have == null || !have.equals(absent.applied(FileOp.INI + key, Layer.PERSISTED))) continue;
            // a key the box had before the agent set it gets its value back; one it did not have goes
            KeptFiles.Was was = o.iniBefore().get(key);
            if (was == null || was.value() == null) ops.add(new FileOp.UnsetIni(key, have));
            else if (!was.value().equals(have)) ops.add(new FileOp.SetIni(key, have, was.value()));
        }
        if (d.created() && o.emptyAfter()) {
            ops.add(new FileOp.DeleteFile(FileOp.FILE, null));
            return;
        }
        // the mode the agent set, unchanged since, goes back to what it was
        String modeSet = absent.applied(FileOp.MODE, Layer.PERSISTED);
        if (o.modeBefore() != null && modeSet != null && modeSet.equals(o.mode()) && !o.modeBefore().equals(o.mode())) {
            ops.add(new FileOp.SetMode(o.mode(), o.modeBefore()));
        }
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : b != null && FileText.describe(a).equals(FileText.describe(b));
    }
}
