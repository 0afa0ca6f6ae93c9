package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the composed {@code hooks} section into resources, with every semantic error located. */
final class HookSpecParser {
    static final String PRE_COMMIT_WARNING = "core.hooksPath is set globally: the pre-commit framework refuses to install"
            + " its hooks while it is set (\"Cowardly refusing to install hooks with core.hooksPath set\", pre-commit#1298)";

    private record HookDef(String name, String content, Origin origin) {
    }

    private HookSpecParser() {
    }

    /** The managed global hooks directory of the developer (a box path). */
    static String globalDir(String home) {
        return (home.endsWith("/") ? home : home + "/") + ".config/devbox-agent/git-hooks";
    }

    static List<HookResource> parse(Node section, DesiredContext context) throws ProfileException {
        // the schema has checked the section's shape, the hook names, and of the composition: hooks, exactly one of
        // content and file per hook, repos unless global; what follows is about the values as expanded
        SpecReader r = new SpecReader();
        Node.Mapping m = (Node.Mapping) section;
        boolean global = m.get("global") instanceof Node.Scalar g && "true".equals(g.text());

        Map<String, Origin> globs = new LinkedHashMap<>();
        if (m.get("repos") instanceof Node.Sequence repos) {
            for (Node item : repos.items()) {
                String g = ((Node.Scalar) item).text();
                Optional<String> problem = SafePaths.absoluteProblem(g);
                if (problem.isPresent()) r.error(item.origin(), "hooks.repos: " + problem.get());
                else if (g.contains("**")) r.error(item.origin(), "hooks.repos: '**' is not supported; use one '*' per directory level: " + g);
                else globs.putIfAbsent(g.replaceAll("/+$", ""), item.origin());
            }
        }

        List<HookDef> hooks = new ArrayList<>();
        Node.Mapping hm = (Node.Mapping) m.get("hooks");
        hm.entries().forEach((name, node) -> {
            String content = content(r, name, (Node.Mapping) node, context);
            if (content != null) hooks.add(new HookDef(name, content, hm.keyOrigin(name)));
        });
        r.throwIfAny();

        List<HookResource> out = new ArrayList<>();
        if (global) {
            String home = context.host() != null ? context.host().facts().home() : context.identity().home();
            List<String> ids = new ArrayList<>();
            for (HookDef h : hooks) {
                HookResource.Hook hook = new HookResource.Hook(null, h.name(), h.content(), h.origin(), List.of());
                out.add(hook);
                ids.add(hook.id());
            }
            List<String> warnings = new ArrayList<>();
            warnings.add(PRE_COMMIT_WARNING);
            if (!globs.isEmpty()) warnings.add("hooks.repos is ignored with hooks.global: true (core.hooksPath applies to every repository)");
            out.add(new HookResource.GlobalPath(globalDir(home), io.devbox.agent.engine.Presence.PRESENT, m.keyOrigin("global"), ids, warnings));
            return out;
        }
        if (context.host() == null) return out; // validation without a box: nothing to expand the globs against
        List<String> warnings = new ArrayList<>();
        try {
            String globalHooksPath = GitConfig.globalGet(context.host(), "core.hooksPath");
            if (globalHooksPath != null) {
                warnings.add("the developer's global git config sets core.hooksPath=" + globalHooksPath
                        + ": git ignores the repository's hooks directory unless the repository sets its own core.hooksPath");
            }
            String systemHooksPath = GitConfig.systemGet(context.host(), "core.hooksPath");
            if (systemHooksPath != null) {
                warnings.add("/etc/gitconfig sets core.hooksPath=" + systemHooksPath
                        + ": git ignores the repository's hooks directory unless the repository sets its own core.hooksPath");
            }
        } catch (ResourceException e) {
            warnings.add("cannot read the developer's global git config: " + e.getMessage());
        }
        Set<String> repos = new LinkedHashSet<>();
        for (var g : globs.entrySet()) {
            try {
                repos.addAll(RepoGlobs.workTrees(context.host(), g.getKey()));
            } catch (IOException e) {
                r.error(g.getValue(), "hooks.repos: cannot list " + g.getKey() + ": " + e.getMessage());
            }
        }
        r.throwIfAny();
        for (String repo : repos) {
            for (HookDef h : hooks) out.add(new HookResource.Hook(repo, h.name(), h.content(), h.origin(), warnings));
        }
        return out;
    }

    /** The hook's text from {@code content:} or from {@code file:} in the profile repository. */
    private static String content(SpecReader r, String name, Node.Mapping hm, DesiredContext context) {
        Node content = hm.get("content");
        Node file = hm.get("file");
        if (content != null) {
            String text = r.string(content, "hooks.hooks." + name + ".content");
            if (text != null && text.isBlank()) r.error(content.origin(), "hooks.hooks." + name + ".content is empty");
            return text;
        }
        String path = r.string(file, "hooks.hooks." + name + ".file");
        if (path == null) return null;
        Optional<String> problem = SafePaths.relativeProblem(path);
        if (problem.isPresent()) {
            r.error(file.origin(), "hooks.hooks." + name + ".file must stay inside the profile repository: " + problem.get());
            return null;
        }
        try {
            Optional<byte[]> bytes = context.spec().files().read(path);
            if (bytes.isEmpty()) {
                r.error(file.origin(), "hooks.hooks." + name + ".file: " + path + " does not exist in the profile repository");
                return null;
            }
            return new String(bytes.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            r.error(file.origin(), "hooks.hooks." + name + ".file: cannot read " + path + ": " + e.getMessage());
            return null;
        }
    }
}
