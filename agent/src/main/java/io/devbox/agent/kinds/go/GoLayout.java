package io.devbox.agent.kinds.go;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Names and contents of the go kind's files on the box. */
public final class GoLayout {
    public static final String DEFAULT_INSTALL_DIR = "/usr/local/go-versions";
    public static final String DEFAULT_MIRROR = "https://go.dev/dl/";
    public static final String PROFILE_SCRIPT = "/etc/profile.d/devbox-go.sh";
    public static final String CURRENT = "current";
    /** Written last into a version directory, before it is renamed into place. */
    public static final String MARKER = ".devbox-agent-installed";

    private GoLayout() {
    }

    public static String versionDir(String installDir, String version) {
        return (installDir.endsWith("/") ? installDir : installDir + "/") + "go" + version;
    }

    /** The tarball for this machine: {@code go1.22.5.linux-amd64.tar.gz}. */
    public static String tarball(String version) {
        return "go" + version + ".linux-" + arch() + ".tar.gz";
    }

    /** Go's name for the JVM's architecture. */
    public static String arch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "arm" -> "armv6l";
            default -> a;
        };
    }

    /** /etc/profile.d script putting {@code <installDir>/current/bin} first on PATH (once). */
    public static String profileScript(String installDir) {
        String bin = (installDir.endsWith("/") ? installDir : installDir + "/") + CURRENT + "/bin";
        return "# Managed by devbox-agent (kind go): the default Go toolchain on PATH. Do not edit.\n"
                + "case \":${PATH}:\" in\n"
                + "  *:" + bin + ":*) ;;\n"
                + "  *) PATH=\"" + bin + ":${PATH}\"; export PATH ;;\n"
                + "esac\n";
    }

    /** A short, stable fingerprint of file content for plans: {@code 5 lines, sha256 0123456789ab}. */
    public static String fingerprint(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            long lines = content.chars().filter(c -> c == '\n').count();
            return lines + " lines, sha256 " + HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
