package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the composed {@code runner} section into a {@link RunnerSpec}, with every semantic error located. */
final class RunnerSpecParser {
    /** The fields whose position a spec remembers (for messages at plan time). */
    private static final List<String> FIELDS = List.of("url", "name", "labels", "version", "sha256", "mirror", "installDir",
            "runAs", "tokenFile", "tokenEnv", "ephemeral", "group", "force");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,256}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?");

    private RunnerSpecParser() {
    }

    static RunnerSpec parse(Node section, DesiredContext context) throws ProfileException {
        // the schema has checked the shape of every file and what the composition needs (url, name, version, sha256,
        // exactly one of tokenFile and tokenEnv, no token written here); what follows is about the values as expanded
        SpecReader r = new SpecReader();
        Node.Mapping m = (Node.Mapping) section;
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (String k : FIELDS) if (m.get(k) != null) origins.put(k, m.get(k).origin());

        String url = text(m, "url");
        String urlProblem = urlProblem(url);
        if (urlProblem != null) r.error(m.get("url").origin(), "runner.url: " + urlProblem);
        String name = text(m, "name");
        if (!NAME.matcher(name).matches()) {
            r.error(m.get("name").origin(), "runner.name: '" + name + "' is not a runner name (1 to 64 letters, digits, '.', '_', '-')");
        }

        List<String> labels = new ArrayList<>();
        if (m.get("labels") != null) {
            for (Node item : r.sequence(m.get("labels"), "runner.labels")) {
                String l = r.string(item, "a runner label");
                if (l == null) continue;
                if (!LABEL.matcher(l).matches()) {
                    r.error(item.origin(), "runner.labels: '" + l + "' is not a label (letters, digits, '.', '_', '-'; no commas or spaces)");
                } else if (labels.contains(l)) {
                    r.error(item.origin(), "runner.labels: '" + l + "' is listed twice");
                } else {
                    labels.add(l);
                }
            }
        }

        String version = text(m, "version");
        String sha256 = text(m, "sha256").toLowerCase(Locale.ROOT);

        String mirror = RunnerLayout.DEFAULT_MIRROR;
        if (m.get("mirror") != null) {
            String s = r.string(m.get("mirror"), "runner.mirror");
            if (s != null) {
                if (s.startsWith("https://") || s.startsWith("http://") || s.startsWith("file:///")) {
                    mirror = s;
                } else if (s.startsWith("/")) {
                    SafePaths.absoluteProblem(s).ifPresent(p -> r.error(m.get("mirror").origin(), "runner.mirror: " + p));
                    mirror = s;
                } else {
                    r.error(m.get("mirror").origin(), "runner.mirror must be an http(s):// or file:/// URL or an absolute directory, not " + s);
                }
            }
        }

        String installDir = RunnerLayout.DEFAULT_INSTALL_DIR;
        if (m.get("installDir") != null) {
            String s = r.string(m.get("installDir"), "runner.installDir");
            if (s != null) {
                String trimmed = s.replaceAll("/+$", "");
                var problem = SafePaths.absoluteProblem(s);
                if (problem.isPresent()) r.error(m.get("installDir").origin(), "runner.installDir: " + problem.get());
                else if (trimmed.isEmpty() || trimmed.equals(context.identity().home()) || Set.of("/etc", "/usr", "/var", "/home", "/opt", "/root", "/bin", "/lib", "/tmp", "/srv", "/run", "/proc", "/sys", "/dev", "/boot", "/sbin").contains(trimmed)) {
                    r.error(m.get("installDir").origin(), "runner.installDir " + s + " is a system directory; the agent deletes the install directory when the runner is removed: use a directory of its own, e.g. /opt/actions-runner");
                } else {
                    installDir = trimmed;
                }
            }
        }

        String runAs = context.identity().user();
        if (m.get("runAs") != null) runAs = r.string(m.get("runAs"), "runner.runAs");
        if (runAs != null && !USER.matcher(runAs).matches()) {
            r.error(m.get("runAs") != null ? m.get("runAs").origin() : m.origin(), "runner.runAs: '" + runAs + "' is not a user name");
        }

        String tokenFile = m.get("tokenFile") != null ? text(m, "tokenFile") : null;
        if (tokenFile != null) {
            var bad = SafePaths.absoluteProblem(tokenFile);
            if (bad.isPresent()) {
                r.error(m.get("tokenFile").origin(), "runner.tokenFile: " + bad.get());
                tokenFile = null;
            }
        }
        String tokenEnv = m.get("tokenEnv") != null ? text(m, "tokenEnv") : null;

        boolean ephemeral = m.get("ephemeral") != null && r.bool(m.get("ephemeral"), "runner.ephemeral", false);
        boolean force = m.get("force") != null && r.bool(m.get("force"), "runner.force", false);
        String group = null;
        if (m.get("group") != null) {
            group = r.string(m.get("group"), "runner.group");
            if (group != null && (group.isBlank() || group.contains("\n") || group.contains("\r") || group.length() > 128)) {
                r.error(m.get("group").origin(), "runner.group must be a runner group name on one line");
            }
        }
        r.throwIfAny();
        return new RunnerSpec(RunnerLayout.normalizeUrl(url), name, labels, version, sha256, mirror, installDir, runAs,
                tokenFile, tokenEnv, ephemeral, group, force, m.origin(), origins);
    }

    private static String text(Node.Mapping m, String key) {
        return ((Node.Scalar) m.get(key)).text();
    }

    /** A repository or organisation URL: https://github.com/OWNER[/REPO] (or a GitHub Enterprise host). */
    static String urlProblem(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL: " + url;
        }
        if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) return "must be an https:// URL of a repository or organisation, not " + url;
        if (u.getHost() == null || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
            return "must be a plain URL like https://github.com/OWNER/REPO, not " + url;
        }
        String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
        String[] segs = path.isEmpty() ? new String[0] : path.substring(1).split("/");
        if (segs.length < 1 || segs.length > 2) return "must name an organisation or a repository (https://github.com/OWNER[/REPO]), not " + url;
        for (String s : segs) {
            if (!s.matches("[A-Za-z0-9._-]+")) return "not a repository or organisation URL: " + url;
        }
        return null;
    }
}
