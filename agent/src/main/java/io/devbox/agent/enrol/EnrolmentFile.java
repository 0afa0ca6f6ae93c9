package io.devbox.agent.enrol;

import io.devbox.agent.config.AgentConfig;
import io.devbox.agent.config.AgentConfigLoader;
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
