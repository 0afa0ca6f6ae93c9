package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.Presence;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.kinds.go.GoLayout;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code go.tools} and {@code go.toolsDir} of the composed {@code go} section. The go kind's schema fragment states
 * their shape (names, {@code PACKAGE@VERSION} with a pinned version, no {@code ..}); the rest of the section is the go
 * kind's, read here only for the default toolchain and the proxy settings a build needs. What only Java checks: the
 * name is the one {@code go install} gives the program, and toolsDir as expanded.
 */
final class GoToolSpecParser {
    /** Splits {@code PACKAGE@VERSION} (the schema's goToolModule pattern has checked it). */
    static final Pattern TOOL = Pattern.compile("([^@\\s]+)@(v[0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\\+incompatible)?)");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MAJOR = Pattern.compile("v[0-9]+");
    /** What of go.env reaches a build: where modules come from and how they are checked. */
    static final Set<String> BUILD_ENV = Set.of("GOPROXY", "GONOPROXY", "GOPRIVATE", "GONOSUMDB", "GOSUMDB", "GOINSECURE");

    /** The tools, and the settings {@link GoToolsReconciler#removal} needs; {@code toolsDirOrigin} for located errors. */
    record Parsed(List<GoToolResource> resources, String toolsDir, Origin toolsDirOrigin, String installDir, String goVersion) {
    }

    private GoToolSpecParser() {
    }

    /** Empty resources (and a null toolsDir) when the section has no tools. */
    static Parsed parse(Node section) throws ProfileException {
        SpecReader r = new SpecReader();
        Node.Mapping m = (Node.Mapping) section;
        if (m.get("tools") == null) return new Parsed(List.of(), null, null, null, null);
        String toolsDir = GoLayout.DEFAULT_TOOLS_DIR;
        Origin toolsDirOrigin = m.get("tools").origin();
        if (m.get("toolsDir") != null) {
            toolsDirOrigin = m.get("toolsDir").origin();
            String s = r.string(m.get("toolsDir"), "go.toolsDir");
            if (s != null) {
                // as expanded: a ${home} may bring what the schema's pattern could not see
                String trimmed = s.replaceAll("/+$", "");
                var problem = SafePaths.absoluteProblem(s);
                if (problem.isPresent()) r.error(toolsDirOrigin, "go.toolsDir: " + problem.get());
                else if (trimmed.isEmpty()) r.error(toolsDirOrigin, "go.toolsDir may not be /");
                else if (!GoLayout.SHELL_SAFE_PATH.matcher(trimmed).matches()) {
                    r.error(toolsDirOrigin, "go.toolsDir " + s + " has characters a shell would read (it is written into "
                            + GoLayout.PROFILE_SCRIPT + "): use letters, digits and ._+@-/");
                } else toolsDir = trimmed;
            }
        }
        String installDir = scalar(m.get("installDir"), GoLayout.DEFAULT_INSTALL_DIR).replaceAll("/+$", "");
        String goVersion = scalar(m.get("default"), null);
        if (goVersion == null && m.get("versions") instanceof Node.Sequence s && !s.items().isEmpty()) goVersion = scalar(s.items().get(0), null);
        if (goVersion == null) r.error(m.get("tools").origin(), "go.tools are built with the default toolchain: go.versions lists none");
        Map<String, String> env = new LinkedHashMap<>();
        if (m.get("env") instanceof Node.Mapping em) {
            em.entries().forEach((k, v) -> {
                if (BUILD_ENV.contains(k) && v instanceof Node.Scalar s && !s.isNull()) env.put(k, s.text());
            });
        }
        List<GoToolResource> out = new ArrayList<>();
        Node.Mapping tm = r.mapping(m.get("tools"), "go.tools");
        if (tm != null) {
            String gv = goVersion;
            String td = toolsDir;
            tm.entries().forEach((name, node) -> {
                Origin at = tm.keyOrigin(name);
                String spec = r.string(node, "go.tools." + name);
                if (spec == null) return;
                Matcher t = TOOL.matcher(spec);
                if (!t.matches()) {
                    r.error(node.origin(), "go.tools." + name + " is not PACKAGE@VERSION: " + spec);
                    return;
                }
                String binary = binaryName(t.group(1));
                if (!binary.equals(name)) {
                    r.error(at, "go.tools." + name + ": go install names the program of " + t.group(1) + " '" + binary
                            + "'; use that as its name");
                    return;
                }
                out.add(new GoToolResource(name, t.group(1), t.group(2), td, installDir, gv, env, Presence.PRESENT, node.origin()));
            });
        }
        r.throwIfAny();
        return new Parsed(out, toolsDir, toolsDirOrigin, installDir, goVersion);
    }

    /** The name {@code go install} gives the program of a package: its last element, or the one before a {@code /vN}. */
    static String binaryName(String pkg) {
        String[] parts = pkg.split("/");
        String last = parts[parts.length - 1];
        if (parts.length > 1 && MAJOR.matcher(last).matches()) last = parts[parts.length - 2];
        return last;
    }

    private static String scalar(Node n, String fallback) {
        return n instanceof Node.Scalar s && !s.isNull() ? s.text() : fallback;
    }
}
