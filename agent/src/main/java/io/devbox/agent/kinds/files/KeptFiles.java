package io.devbox.agent.kinds.files;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A copy of a file that was there before the agent replaced it whole, taken before the first such write, so that the
 * file gets its text and mode back when it leaves the profiles (as the hooks kind keeps a developer's hook):
 * {@code <stateDir>/file/kept/<sha16 of the path>/} with {@code path}, {@code content} and {@code mode}. The state dir
 * is root's; the copies are readable by root only (a user's file may be private).
 */
final class KeptFiles {
    private static final Pattern MODE = Pattern.compile("0[0-7]{3}");

    /** What the file held before the agent: its text ({@link FileText} form) and mode (four octal digits). */
    record Copy(String text, String mode) {
        @Override
        public String toString() {
            // a fingerprint input: the digest, not a user's text
            return "Copy[" + FileText.describe(text) + ", " + mode + "]";
        }
    }

    private final Path base;

    KeptFiles(Path stateDir) {
        this.base = stateDir.resolve("file").resolve("kept");
    }

    private Path dir(String boxPath) {
        return base.resolve(FileText.sha256(boxPath.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    }

    /** The copy of {@code boxPath}, or empty; read only from root's own state dir. */
    Optional<Copy> find(String boxPath) throws IOException {
        Path dir = dir(boxPath);
        Path content = dir.resolve("content");
        if (!Files.isRegularFile(dir.resolve("path")) || !Files.isRegularFile(content)) return Optional.empty();
        if (!Files.readString(dir.resolve("path"), StandardCharsets.UTF_8).equals(boxPath + "\n")) return Optional.empty();
        String mode = Files.isRegularFile(dir.resolve("mode")) ? Files.readString(dir.resolve("mode")).strip() : "0644";
        return Optional.of(new Copy(FileText.of(Files.readAllBytes(content)), MODE.matcher(mode).matches() ? mode : "0644"));
    }

    /** Keeps {@code copy} for {@code boxPath} unless one is kept already (the first is the one from before the agent). */
    void keepOnce(String boxPath, Copy copy) throws IOException {
        Path dir = dir(boxPath);
        if (Files.isRegularFile(dir.resolve("content"))) return;
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        AtomicFiles.write(dir.resolve("path"), (boxPath + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        AtomicFiles.write(dir.resolve("mode"), (copy.mode() + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        // written last: a copy counts only once it is complete
        AtomicFiles.write(dir.resolve("content"), FileText.bytes(copy.text()), "rw-------");
    }

    /** Forgets the copy of {@code boxPath} (after it went back, or once the agent's file is gone). */
    void drop(String boxPath) throws IOException {
        Path dir = dir(boxPath);
        if (Files.isDirectory(dir)) FileTrees.deleteRecursively(dir);
    }
}
