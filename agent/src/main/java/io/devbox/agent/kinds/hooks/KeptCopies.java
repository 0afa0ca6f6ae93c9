package io.devbox.agent.kinds.hooks;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A copy of every hook the agent did not write, taken before the agent moves or deletes it, so that nothing a developer
 * or a hook manager wrote is lost whoever moves files later: {@code <stateDir>/hook/kept/<key>/<hook>/<sha12>-<name>},
 * where {@code <key>} is derived from the repository (or {@code global}) and {@code <key>/repository} names it. The
 * state dir is root's; copies are readable by root only. A copy is taken once per content (its name holds the hash).
 */
final class KeptCopies {
    private final Path base;

    KeptCopies(Path stateDir) {
        this.base = stateDir.resolve("hook").resolve("kept");
    }

    /** The directory of one repository's hook. */
    Path dir(String scope, String hook) {
        return base.resolve(HookScripts.sha256(scope.getBytes(StandardCharsets.UTF_8)).substring(0, 16)).resolve(hook);
    }

    /**
     * Keeps {@code content} (read from {@code fileName} in the hooks directory of {@code scope}); {@code content}
     * null for a link or another non-file, of which a note is kept instead (the agent moves links, never reads them).
     */
    void save(String scope, String hook, String fileName, byte[] content) throws IOException {
        Path dir = dir(scope, hook);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path repository = dir.getParent().resolve("repository");
        if (!Files.exists(repository)) AtomicFiles.write(repository, (scope + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        if (content == null) {
            String note = fileName + " was not a regular file (a link is moved as it is, never read)\n";
            AtomicFiles.write(dir.resolve(System.currentTimeMillis() + "-" + fileName + ".note"), note.getBytes(StandardCharsets.UTF_8), "rw-------");
            return;
        }
        Path copy = dir.resolve(HookScripts.sha256(content).substring(0, 12) + "-" + fileName);
        if (!Files.exists(copy)) AtomicFiles.write(copy, content, "rw-------");
    }
}
