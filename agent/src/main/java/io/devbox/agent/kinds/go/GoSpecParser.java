package io.devbox.agent.kinds.go;

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
                else if (!GoLayout.SHELL_SAFE_PATH.matcher(s).matches()) {
                    // a ${...} variable may bring any character: the expanded path goes into the profile.d script
                    r.error(m.get("installDir").origin(), "go.installDir: only letters, digits and ._+@-/ (it is written into a shell script): " + io.devbox.agent.host.Printable.escape(s));
                }
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
        for (Node item : ((Node.Sequence) m.get("versions")).items()) { // Go versions, at least one: the schema's
            String v = ((Node.Scalar) item).text();
            if (versions.containsKey(v)) {
                // profiles compose lists, so a version can be listed twice across files though each file's list is unique
                r.error(item.origin(), "go version " + v + " is listed twice (first at " + versions.get(v).shortForm() + ")");
            } else {
                versions.put(v, item.origin());
            }
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
        if (m.get("checksums") instanceof Node.Mapping cm) { // Go versions to sha256 sums: the schema's
            cm.entries().forEach((v, node) -> checksums.put(v, ((Node.Scalar) node).text().toLowerCase(Locale.ROOT)));
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

        if (m.get("env") instanceof Node.Mapping em) { // names (not GOENV) and one-line values: the schema's
            em.entries().forEach((k, node) -> {
                String value = ((Node.Scalar) node).text();
                if (value.contains("\n") || value.contains("\r")) { // as expanded: a variable's value is not the schema's
                    r.error(node.origin(), "go.env." + k + " may not contain a line break");
                    return;
                }
                List<String> warnings = k.equals("GOTOOLCHAIN")
                        ? List.of("GOTOOLCHAIN in the env file overrides toolchain wrappers and the 'current' default (golang/go#64665)")
                        : List.of();
                resources.add(new GoResource.EnvKey(k, value, node.origin(), warnings));
            });
        }
        r.throwIfAny();
        Origin installDirOrigin = m.get("installDir") != null ? m.get("installDir").origin() : m.origin();
        return new Parsed(resources, installDir, installDirOrigin, mirror, prune);
    }
}
