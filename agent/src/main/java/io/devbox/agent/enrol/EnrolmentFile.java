package io.devbox.agent.enrol;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.config.AgentConfigLoader;
import io.devbox.agent.config.ConfigException;
import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The agent config file as {@code enroll} and {@code leave} keep it: {@code <root>/etc/devbox-agent/agent.yaml},
 * root-owned 0644 in a root-owned 0755 directory (the agent refuses a config others could have written). Unenrolled,
 * it holds the package's commented text, which enrols nothing.
 */
public final class EnrolmentFile {
    public static final String PATH = "/etc/devbox-agent/agent.yaml";
    private static final String UNENROLLED = "agent.yaml";

    private final Path file;

    public EnrolmentFile(Path root) {
        this.file = root.resolve(PATH.substring(1));
    }

    public Path path() {
        return file;
    }

    /** The enrolment the file holds (not enrolled when the file is absent or enrols no repository). */
    public Enrolment read() throws IOException {
        return Enrolment.of(config());
    }

    public AgentConfig config() throws IOException {
        return AgentConfigLoader.load(null, file);
    }

    /** What {@link #enrol} did, or why it did not. */
    public sealed interface Outcome {
        /** The file enrols the box in exactly these settings already: it was not touched. */
        record Unchanged() implements Outcome {
        }

        /** Written; {@code replaced} when it enrolled the box in other settings before ({@code --force}). */
        record Written(boolean replaced) implements Outcome {
        }

        /** It enrols the box in other settings; replacing them needs {@code --force}. */
        record Refused(List<String> differences) implements Outcome {
        }

        /** It is not a valid config; replacing it needs {@code --force}. */
        record Invalid(String errors) implements Outcome {
        }
    }

    /**
     * Makes the file enrol the box in {@code wanted}: unchanged when it does already, refused when it enrols the box in
     * something else or is invalid (unless {@code force}).
     *
     * @param program the command, for the file's comments
     * @param at      when, for the file's comments
     */
    public Outcome enrol(Enrolment wanted, boolean force, String program, String at) throws IOException {
        Enrolment current;
        try {
            current = read();
        } catch (ConfigException e) {
            if (!force) return new Outcome.Invalid(e.getMessage());
            current = Enrolment.of(AgentConfig.NONE);
        }
        if (current.equals(wanted)) return new Outcome.Unchanged();
        if (current.enrols() && !force) return new Outcome.Refused(current.differences(wanted));
        write(wanted.render(program, at));
        return new Outcome.Written(current.enrols());
    }

    /**
     * Removes the enrolment: a file that enrols the box (or cannot be read as a config) gets the package's text back.
     * Returns whether it changed anything.
     */
    public boolean unenrol() throws IOException {
        try {
            if (!read().enrols()) return false;
        } catch (ConfigException e) {
            // invalid: it may well name a repository; replaced all the same
        }
        write(unenrolled());
        return true;
    }

    /** The package's text: comments only, so it enrols nothing. */
    public static byte[] unenrolled() {
        try (InputStream in = EnrolmentFile.class.getResourceAsStream(UNENROLLED)) {
            if (in == null) throw new IllegalStateException("the unenrolled agent.yaml is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the unenrolled agent.yaml", e);
        }
    }

    /** True when the file holds the package's text byte for byte (or is absent). */
    public boolean isUnenrolledText() throws IOException {
        try {
            return Arrays.equals(Files.readAllBytes(file), unenrolled());
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    /** Writes the file atomically, root-owned 0644, creating its directory 0755. */
    public void write(String content) throws IOException {
        write(content.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] content) throws IOException {
        Path dir = file.getParent();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        checkDirectory(dir);
        AtomicFiles.write(file, content, "rw-r--r--");
    }

    /**
     * The directory must be a real directory, owned by the user the agent runs as (root on a box), and writable by no
     * one else: the config says which repository root follows.
     */
    private static void checkDirectory(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) throw new IOException(dir + " is not a directory (a link?); refusing to write the enrolment there");
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!owner.equals(self)) {
            throw new IOException(dir + " is owned by uid " + owner + ", not by this user (uid " + self + "); refusing to "
                    + "write the enrolment there (chown root:root " + dir + ")");
        }
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by group or others (" + PosixFilePermissions.toString(p)
                    + "); refusing to write the enrolment there (chmod 755 " + dir + ")");
        }
    }
}
