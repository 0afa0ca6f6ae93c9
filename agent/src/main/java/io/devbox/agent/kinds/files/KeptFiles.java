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
 * What a file held before the agent changed it, so that it gets it back when it leaves the profiles (as the hooks kind
 * keeps a developer's hook): a copy of a file the agent replaced whole (its text and mode), taken before the first
 * such write; the value each INI key had (or that it had none) before the agent first set it; the mode before the agent
 * first changed it. In {@code <stateDir>/file/kept/<sha16 of the path>/}: {@code path}, {@code content},
 * {@code mode}, {@code ini/<sha16 of the key>}. The state dir is root's; the copies are readable by root only (a
 * user's file may be private).
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
        if (!ours(dir, boxPath) || !Files.isRegularFile(content)) return Optional.empty();
        String mode = Files.isRegularFile(dir.resolve("mode")) ? Files.readString(dir.resolve("mode")).strip() : "0644";
        return Optional.of(new Copy(FileText.of(Files.readAllBytes(content)), MODE.matcher(mode).matches() ? mode : "0644"));
    }

    /** Keeps {@code copy} for {@code boxPath} unless one is kept already (the first is the one from before the agent). */
    void keepOnce(String boxPath, Copy copy) throws IOException {
        Path dir = own(boxPath);
        if (Files.isRegularFile(dir.resolve("content"))) return;
        AtomicFiles.write(dir.resolve("mode"), (copy.mode() + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        // written last: a copy counts only once it is complete
        AtomicFiles.write(dir.resolve("content"), FileText.bytes(copy.text()), "rw-------");
    }

    /** Keeps the mode {@code boxPath} had before the agent first changed it. */
    void keepModeOnce(String boxPath, String mode) throws IOException {
        Path dir = own(boxPath);
        if (!Files.isRegularFile(dir.resolve("mode"))) {
            AtomicFiles.write(dir.resolve("mode"), (mode + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        }
    }

    /** The mode {@code boxPath} had before the agent changed it, or empty. */
    Optional<String> modeBefore(String boxPath) throws IOException {
        Path dir = dir(boxPath);
        if (!ours(dir, boxPath) || !Files.isRegularFile(dir.resolve("mode"))) return Optional.empty();
        String mode = Files.readString(dir.resolve("mode")).strip();
        return MODE.matcher(mode).matches() ? Optional.of(mode) : Optional.empty();
    }

    /** Keeps the value key {@code key} had before the agent first set it ({@code value} null: it had none). */
    void keepIniOnce(String boxPath, String key, String value) throws IOException {
        Path dir = own(boxPath).resolve("ini");
        Path file = dir.resolve(keyName(key));
        if (Files.isRegularFile(file)) return;
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String record = key + "\n" + (value == null ? "-" : "=" + value) + "\n";
        AtomicFiles.write(file, record.getBytes(StandardCharsets.UTF_8), "rw-------");
    }

    /** What an INI key held before the agent first set it; {@code value} null when it had none. */
    record Was(String value) {
    }

    /** What key {@code key} held before the agent first set it, or empty when nothing is known. */
    Optional<Was> iniBefore(String boxPath, String key) throws IOException {
        Path dir = dir(boxPath);
        Path file = dir.resolve("ini").resolve(keyName(key));
        if (!ours(dir, boxPath) || !Files.isRegularFile(file)) return Optional.empty();
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(key)) return Optional.empty();
        if (lines[1].equals("-")) return Optional.of(new Was(null));
        return lines[1].startsWith("=") ? Optional.of(new Was(lines[1].substring(1))) : Optional.empty();
    }

    private static String keyName(String key) {
        return FileText.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The directory of {@code boxPath}, made (and its path recorded) when missing. */
    private Path own(String boxPath) throws IOException {
        Path dir = dir(boxPath);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (!Files.isRegularFile(dir.resolve("path"))) {
            AtomicFiles.write(dir.resolve("path"), (boxPath + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        }
        return dir;
    }

    private static boolean ours(Path dir, String boxPath) throws IOException {
        Path p = dir.resolve("path");
        return Files.isRegularFile(p) && Files.readString(p, StandardCharsets.UTF_8).equals(boxPath + "\n");
    }

    /** Forgets the copy of {@code boxPath} (after it went back, or once the agent's file is gone). */
    void drop(String boxPath) throws IOException {
        Path dir = dir(boxPath);
        if (Files.isDirectory(dir)) FileTrees.deleteRecursively(dir);
    }
}
