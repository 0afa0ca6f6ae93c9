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
    static final Set<String> KEYS = Set.of("url", "name", "labels", "version", "sha256", "mirror", "installDir", "runAs",
            "tokenFile", "tokenEnv", "ephemeral", "group", "force");
    /** Keys that would put a secret into git: token, registrationToken, accessToken, pat, ... */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i)(.*token|pat|password|secret)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,256}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}\\$?");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RunnerSpecParser() {
    }

    static RunnerSpec parse(Node section, DesiredContext context) throws ProfileException {
        SpecReader r = new SpecReader();
        Node.Mapping m = r.mapping(section, "runner");
        if (m == null) r.throwIfAny();
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (String k : m.entries().keySet()) {
            if (!KEYS.contains(k) && SECRET_KEY.matcher(k).matches()) {
                r.error(m.keyOrigin(k), "runner." + k + ": a registration token may not be written in a profile (secrets never "
                        + "live in git); put it in a root-only file on the box and name it with tokenFile (e.g. "
                        + "/etc/devbox-agent/runner-token), or name an environment variable of the agent with tokenEnv");
            } else if (KEYS.contains(k)) {
                origins.put(k, m.get(k).origin());
            }
        }
        List<String> unknown = m.entries().keySet().stream().filter(k -> !KEYS.contains(k) && !SECRET_KEY.matcher(k).matches()).toList();
        if (!unknown.isEmpty()) {
            Map<String, Node> only = new LinkedHashMap<>();
            Map<String, Origin> keys = new LinkedHashMap<>();
            for (String k : unknown) {
                only.put(k, m.get(k));
                keys.put(k, m.keyOrigin(k));
            }
            r.onlyKeys(new Node.Mapping(only, keys, m.origin()), KEYS, "runner");
        }

        String url = required(r, m, "url");
        if (url != null) {
            String problem = urlProblem(url);
            if (problem != null) r.error(m.get("url").origin(), "runner.url: " + problem);
        }
        String name = required(r, m, "name");
        if (name != null && !NAME.matcher(name).matches()) {
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

        String version = required(r, m, "version");
        if (version != null) {
            Origin at = m.get("version").origin();
            if (!RunnerLayout.VERSION.matcher(version).matches()) {
                r.error(at, "runner.version: '" + version + "' is not a runner version (e.g. 2.330.0"
                        + (version.startsWith("v") ? "; write it without the 'v'" : "") + ")");
            } else if (RunnerLayout.compareVersions(version, RunnerLayout.MINIMUM_VERSION) < 0) {
                r.error(at, "runner.version " + version + " is older than " + RunnerLayout.MINIMUM_VERSION
                        + ", the oldest runner GitHub still accepts: it could not connect; pin " + RunnerLayout.MINIMUM_VERSION + " or newer");
            }
        }

        String sha256 = null;
        if (m.get("sha256") == null) {
            r.error(m.origin(), "runner.sha256 is required: the sha256 of " + RunnerLayout.tarball(version != null ? version : "<version>")
                    + " from the release notes of actions/runner v" + (version != null ? version : "<version>"));
        } else {
            String s = r.string(m.get("sha256"), "runner.sha256");
            if (s != null) {
                String lower = s.toLowerCase(Locale.ROOT);
                if (!Downloader.isSha256(lower)) r.error(m.get("sha256").origin(), "runner.sha256 is not a sha256 (64 hex digits): " + s);
                else sha256 = lower;
            }
        }

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

        String tokenFile = null;
        String tokenEnv = null;
        if (m.get("tokenFile") != null && m.get("tokenEnv") != null) {
            r.error(m.keyOrigin("tokenEnv"), "give either runner.tokenFile or runner.tokenEnv, not both");
        } else if (m.get("tokenFile") != null) {
            tokenFile = r.string(m.get("tokenFile"), "runner.tokenFile");
            if (tokenFile != null) {
                var problem = SafePaths.absoluteProblem(tokenFile);
                if (problem.isPresent()) {
                    r.error(m.get("tokenFile").origin(), "runner.tokenFile: " + problem.get());
                    tokenFile = null;
                }
            }
        } else if (m.get("tokenEnv") != null) {
            tokenEnv = r.string(m.get("tokenEnv"), "runner.tokenEnv");
            if (tokenEnv != null && !ENV.matcher(tokenEnv).matches()) {
                r.error(m.get("tokenEnv").origin(), "runner.tokenEnv: '" + tokenEnv + "' is not an environment variable name");
            }
        } else {
            r.error(m.origin(), "runner: give tokenFile (a root-only file on the box holding the registration token) or tokenEnv "
                    + "(an environment variable of the agent holding it)");
        }

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

    private static String required(SpecReader r, Node.Mapping m, String key) {
        if (m.get(key) == null) {
            r.error(m.origin(), "runner." + key + " is required");
            return null;
        }
        return r.string(m.get(key), "runner." + key);
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
