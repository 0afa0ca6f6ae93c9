package io.devbox.agent.kinds.go;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Names and contents of the go kind's files on the box. */
public final class GoLayout {
    public static final String DEFAULT_INSTALL_DIR = "/usr/local/go-versions";
    /** Where go.tools go when the profile names no toolsDir; its {@code bin/} is put on PATH by the same script. */
    public static final String DEFAULT_TOOLS_DIR = "/usr/local/go-tools";
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
        return profileScript(installDir, null);
    }

    /**
     * As {@link #profileScript(String)}, and the go.tools' {@code bin/} after everything else on PATH when the profile
     * has tools. A tools directory in the developer's home is theirs: it goes on the PATH only of the user who owns it
     * and never on root's, so that no login shell of root or of another user runs programs the developer can replace.
     */
    public static String profileScript(String installDir, ToolsPath tools) {
        String bin = (installDir.endsWith("/") ? installDir : installDir + "/") + CURRENT + "/bin";
        String script = "# Managed by devbox-agent (kind go): the default Go toolchain on PATH. Do not edit.\n"
                + "case \":${PATH}:\" in\n"
                + "  *:" + bin + ":*) ;;\n"
                + "  *) PATH=\"" + bin + ":${PATH}\"; export PATH ;;\n"
                + "esac\n";
        if (tools == null) return script;
        String append = "case \":${PATH}:\" in\n"
                + "  *:" + tools.bin() + ":*) ;;\n"
                + "  *) PATH=\"${PATH}:" + tools.bin() + "\"; export PATH ;;\n"
                + "esac\n";
        if (!tools.developersOwn()) return script + "# go.tools\n" + append;
        return script + "# go.tools in the developer's home: only on the PATH of the user who owns them, never on root's\n"
                + "if [ \"$(id -u)\" != 0 ] && [ -O \"" + tools.bin() + "\" ]; then\n"
                + append.indent(2)
                + "fi\n";
    }

    /**
     * The go.tools' {@code bin/} directory as the profile.d script puts it on PATH.
     *
     * @param bin           {@code <toolsDir>/bin}; only characters that mean nothing to a shell (the parsers check it)
     * @param developersOwn it lies in the developer's home (built as the developer, on their PATH alone)
     */
    public record ToolsPath(String bin, boolean developersOwn) {
    }

    /** Characters a tools directory may have: it is written into a shell script every login shell runs. */
    public static final java.util.regex.Pattern SHELL_SAFE_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._+@/-]*");

    /** Whether {@code path} is {@code home} or lies below it. */
    public static boolean within(String path, String home) {
        if (home == null || home.isEmpty() || !home.startsWith("/")) return false;
        String h = home.replaceAll("/+$", "");
        return !h.isEmpty() && (path.equals(h) || path.startsWith(h + "/"));
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
