package io.devbox.agent.kinds.go;

import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the composed {@code go} section into resources, with every semantic error located. */
final class GoSpecParser {
    /** Go release names: 1.22.5, 1.21.0, 1.20 (the first releases before 1.21 had no .0), 1.23rc1, 1.22beta1. */
    static final Pattern VERSION = Pattern.compile("1\\.(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))?((rc|beta)[1-9][0-9]*)?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Z_][A-Z0-9_]*");

    /**
     * The parsed section: the resources and the settings removal() needs.
     *
     * @param installDirOrigin where installDir was set (the section itself when it is the default)
     */
    record Parsed(List<GoResource> resources, String installDir, Origin installDirOrigin, String mirror, boolean prune) {
    }

    private GoSpecParser() {
    }

    /** {@code scheme://user[:password]@host...}: credentials in a URL. */
    static boolean hasUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) return false;
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        return url.substring(start, end).contains("@");
    }

    /** @param home the developer's home: go.tools there are theirs ({@link GoLayout.ToolsPath#developersOwn()}) */
    /**
     * Where the go.tools kind (which reads the same section and checks these keys) puts its programs, for the
     * profile.d script; null without tools or with a tools directory that kind refuses.
     */
    private static GoLayout.ToolsPath toolsPath(Node.Mapping m, String home) {
        if (m.get("tools") == null) return null;
        String dir = m.get("toolsDir") instanceof Node.Scalar s && !s.isNull() ? s.text() : GoLayout.DEFAULT_TOOLS_DIR;
        dir = dir.replaceAll("/+$", "");
        if (dir.isEmpty() || !GoLayout.SHELL_SAFE_PATH.matcher(dir).matches() || SafePaths.absoluteProblem(dir).isPresent()) return null;
        return new GoLayout.ToolsPath(dir + "/bin", GoLayout.within(dir, home));
    }

    static Parsed parse(Node section, String home) throws ProfileException {
        // the schema has checked the section's shape (and that the composition lists versions); what follows is about
        // the values as expanded and what only the box can tell
        SpecReader r = new SpecReader();
        Node.Mapping m = (Node.Mapping) section;

        String installDir = GoLayout.DEFAULT_INSTALL_DIR;
        if (m.get("installDir") != null) {
            String s = r.string(m.get("installDir"), "go.installDir");
            if (s != null) {
                var problem = SafePaths.absoluteProblem(s);
                if (problem.isPresent()) r.error(m.get("installDir").origin(), "go.installDir: " + problem.get());
                else if (s.replaceAll("/+$", "").isEmpty()) r.error(m.get("installDir").origin(), "go.installDir may not be /");
                else installDir = s.replaceAll("/+$", "");
            }
        }

        String mirror = GoLayout.DEFAULT_MIRROR;
        if (m.get("mirror") != null) {
            String s = r.string(m.get("mirror"), "go.mirror");
            if (s != null && hasUserInfo(s)) {
                // never echo the URL: its user-info is a credential committed in a repository
                r.error(m.get("mirror").origin(), "go.mirror may not carry credentials (user:password@); profiles are no place for "
                        + "secrets: put them in the root user's ~/.netrc");
            } else if (s != null) {
                if (s.startsWith("https://") || s.startsWith("http://") || s.startsWith("file:///")) {
                    mirror = s;
                } else if (s.startsWith("/")) {
                    SafePaths.absoluteProblem(s).ifPresentOrElse(p -> r.error(m.get("mirror").origin(), "go.mirror: " + p), () -> {
                    });
                    mirror = s;
                } else {
                    r.error(m.get("mirror").origin(), "go.mirror must be an http(s):// or file:/// URL or an absolute directory, not " + s);
                }
            }
        }

        Map<String, Origin> versions = new LinkedHashMap<>();
        Node versionsNode = m.get("versions");
        if (versionsNode == null) {
            r.error(m.origin(), "go.versions is required");
        } else {
            for (Node item : r.sequence(versionsNode, "go.versions")) {
                String v = r.string(item, "a go version");
                if (v == null) continue;
                if (!VERSION.matcher(v).matches()) {
                    r.error(item.origin(), "not a Go version: '" + v + "' (expected e.g. 1.22.5, 1.23rc1"
                            + (v.startsWith("go") ? "; write it without the 'go' prefix" : "") + ")");
                } else if (versions.containsKey(v)) {
                    r.error(item.origin(), "go version " + v + " is listed twice (first at " + versions.get(v).shortForm() + ")");
                } else {
                    versions.put(v, item.origin());
                }
            }
            if (versionsNode instanceof Node.Sequence s && s.items().isEmpty()) r.error(versionsNode.origin(), "go.versions is empty");
        }

        String defaultVersion = null;
        Origin defaultOrigin = null;
        if (m.get("default") != null) {
            defaultVersion = r.string(m.get("default"), "go.default");
            defaultOrigin = m.get("default").origin();
            if (defaultVersion != null && !versions.containsKey(defaultVersion) && !r.hasErrors()) {
                r.error(defaultOrigin, "go.default " + defaultVersion + " is not one of go.versions " + versions.keySet());
            }
        } else if (!versions.isEmpty()) {
            defaultVersion = versions.keySet().iterator().next();
            defaultOrigin = versions.get(defaultVersion);
        }

        Map<String, String> checksums = new LinkedHashMap<>();
        if (m.get("checksums") != null) {
            Node.Mapping cm = r.mapping(m.get("checksums"), "go.checksums");
            if (cm != null) {
                cm.entries().forEach((v, node) -> {
                    if (!VERSION.matcher(v).matches()) r.error(cm.keyOrigin(v), "go.checksums: not a Go version: '" + v + "'");
                    String sum = r.string(node, "go.checksums." + v);
                    if (sum == null) return;
                    String lower = sum.toLowerCase(Locale.ROOT);
                    if (!Downloader.isSha256(lower)) {
                        r.error(node.origin(), "go.checksums." + v + " is not a sha256 (64 hex digits): " + sum);
                    } else {
                        checksums.put(v, lower);
                    }
                });
            }
        }

        boolean prune = m.get("prune") != null && r.bool(m.get("prune"), "go.prune", false);
        boolean insecure = m.get("insecure") != null && r.bool(m.get("insecure"), "go.insecure", false);
        if (mirror.startsWith("http://") && !insecure) {
            List<String> unpinned = versions.keySet().stream().filter(v -> !checksums.containsKey(v)).toList();
            if (!unpinned.isEmpty()) {
                r.error(m.get("mirror").origin(), "go.mirror is plain HTTP and go.checksums pins no sha256 for " + unpinned
                        + ": a checksum read from the mirror's own listing over plain HTTP can be forged in transit. Pin them in "
                        + "go.checksums, use an https:// mirror, or accept the risk with go.insecure: true");
            }
        }

        List<GoResource> resources = new ArrayList<>();
        for (var e : versions.entrySet()) {
            resources.add(new GoResource.Version(e.getKey(), installDir, io.devbox.agent.engine.Presence.PRESENT, mirror, checksums.get(e.getKey()), e.getValue()));
        }
        if (defaultVersion != null) resources.add(new GoResource.Default(defaultVersion, installDir, toolsPath(m, home), defaultOrigin));

        if (m.get("env") != null) {
            Node.Mapping em = r.mapping(m.get("env"), "go.env");
            if (em != null) {
                em.entries().forEach((k, node) -> {
                    Origin ko = em.keyOrigin(k);
                    if (!ENV_KEY.matcher(k).matches()) {
                        r.error(ko, "go.env: not an environment variable name: " + k);
                        return;
                    }
                    if (k.equals("GOENV")) {
                        r.error(ko, "go.env: GOENV can only be set in the process environment, not in the env file");
                        return;
                    }
                    String value = r.string(node, "go.env." + k);
                    if (value == null) return;
                    if (value.contains("\n") || value.contains("\r")) {
                        r.error(node.origin(), "go.env." + k + " may not contain a line break");
                        return;
                    }
                    List<String> warnings = k.equals("GOTOOLCHAIN")
                            ? List.of("GOTOOLCHAIN in the env file overrides toolchain wrappers and the 'current' default (golang/go#64665)")
                            : List.of();
                    resources.add(new GoResource.EnvKey(k, value, node.origin(), warnings));
                });
            }
        }
        r.throwIfAny();
        Origin installDirOrigin = m.get("installDir") != null ? m.get("installDir").origin() : m.origin();
        return new Parsed(resources, installDir, installDirOrigin, mirror, prune);
    }
}
