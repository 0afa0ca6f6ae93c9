package io.devbox.agent.kinds.hooks;

import io.devbox.agent.host.BoxFs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of one hook in one hooks directory, as read through {@link BoxFs} (no link followed, each read capped):
 * {@code <hook>}, {@code <hook>.legacy} (the pre-commit framework's), {@code <hook>.devbox-agent-kept},
 * {@code <hook>.devbox-agent-manager}, {@code <hook>.devbox-agent} and whether lefthook's {@code <hook>.old} exists.
 * Absent files are null.
 *
 * @param dir the hooks directory (box path)
 */
record HookFiles(String dir, String name, Slot hook, Slot legacy, Slot kept, Slot manager, Slot payload, boolean old) {

    /**
     * One file of the hook.
     *
     * @param sha  the sha256 of its content, null when it is not a regular file (a link is moved, never read)
     * @param text the agent's payload as text, for the diff a plan shows (read through the capped read; null for
     *             other files and for a payload over 64 KiB)
     */
    record Slot(BoxFs.Entry.Kind kind, HookOwner owner, String sha, boolean executable, String text) {
        Slot(BoxFs.Entry.Kind kind, HookOwner owner, String sha, boolean executable) {
            this(kind, owner, sha, executable, null);
        }

        boolean agent() {
            return owner.agent();
        }

        boolean is(HookOwner o) {
            return owner == o;
        }

        /** For messages: {@code sha256 0123456789ab}, or what it is when it is not a file. */
        String shown() {
            if (sha != null) return HookScripts.fingerprint(sha);
            return kind == BoxFs.Entry.Kind.SYMLINK ? "a symbolic link" : "not a regular file";
        }
    }

    static HookFiles read(BoxFs fs, Path dir, String boxDir, String name) throws IOException {
        boolean huskyRunner = fs.stat(dir.resolve("h")).filter(e -> e.kind() == BoxFs.Entry.Kind.FILE).isPresent();
        return new HookFiles(boxDir, name,
                slot(fs, dir.resolve(name), huskyRunner),
                slot(fs, dir.resolve(name + HookScripts.LEGACY_SUFFIX), huskyRunner),
                slot(fs, dir.resolve(name + HookScripts.KEPT_SUFFIX), huskyRunner),
                slot(fs, dir.resolve(name + HookScripts.MANAGER_SUFFIX), huskyRunner),
                slot(fs, dir.resolve(name + HookScripts.PAYLOAD_SUFFIX), false, true),
                fs.stat(dir.resolve(name + HookScripts.OLD_SUFFIX)).isPresent());
    }

    private static Slot slot(BoxFs fs, Path file, boolean huskyRunner) throws IOException {
        return slot(fs, file, huskyRunner, false);
    }

    private static Slot slot(BoxFs fs, Path file, boolean huskyRunner, boolean keepText) throws IOException {
        Optional<BoxFs.Entry> e = fs.stat(file);
        if (e.isEmpty()) return null;
        if (e.get().kind() != BoxFs.Entry.Kind.FILE) return new Slot(e.get().kind(), HookOwner.FOREIGN, null, false);
        byte[] bytes = read(fs, file);
        String text = keepText && bytes.length <= 64 * 1024 ? new String(bytes, StandardCharsets.UTF_8) : null;
        return new Slot(BoxFs.Entry.Kind.FILE, HookOwner.of(bytes, huskyRunner), HookScripts.sha256(bytes), e.get().executable(), text);
    }

    /** A file in a hooks directory: at most {@link HooksReconciler#HOOK_CAP} bytes. */
    static byte[] read(BoxFs fs, Path file) throws IOException {
        return fs.read(file, HooksReconciler.HOOK_CAP, "a hook").orElse(new byte[0]);
    }

    /** Any file the agent wrote or moved is here. */
    boolean agentTouched() {
        return hook != null && hook.agent() || legacy != null && legacy.agent() || payload != null;
    }
}
