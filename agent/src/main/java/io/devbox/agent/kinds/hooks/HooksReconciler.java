package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.Printable;
import io.devbox.agent.host.UnsafePathException;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Git hooks: {@code hook[/home/dev/src/api:pre-commit]} per selected work tree and hook, written into the
 * repository's effective hooks directory; or, with {@code global: true}, {@code hook[global:pre-commit]} in a
 * managed directory plus {@code hook[global]}, core.hooksPath in the developer's global git config.
 */
public final class HooksReconciler implements Reconciler<HookResource, HookObserved> {
    static final String CONTENT = "content";
    static final String HOOKS_PATH = "core.hooksPath";
    /** A hook is a script of a few kilobytes; a larger file in a hooks directory is not one the agent reads. */
    static final long HOOK_CAP = 256L << 10;

    @Override
    public String kind() {
        return "hook";
    }

    @Override
    public String specKey() {
        return "hooks";
    }

    @Override
    public Optional<String> unsupported(Host host) {
        try {
            if (host.commands().run(List.of("git", "--version")).ok()) return Optional.empty();
            return Optional.of("git does not run on this box (git --version failed)");
        } catch (IOException e) {
            return Optional.of("git is not installed (no git on PATH)");
        }
    }

    @Override
    public List<HookResource> desired(Node section, DesiredContext context) throws ProfileException {
        return HookSpecParser.parse(section, context);
    }

    @Override
    public Optional<HookResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (!resourceId.startsWith("hook[") || !resourceId.endsWith("]")) return Optional.empty();
        String inner = resourceId.substring(5, resourceId.length() - 1);
        if (inner.equals("global")) {
            String dir = lastApplied.get(HOOKS_PATH + "@" + Layer.PERSISTED.label());
            if (dir == null) return Optional.empty();
            return Optional.of(new HookResource.GlobalPath(dir, false, null, List.of(), List.of()));
        }
        int colon = inner.lastIndexOf(':');
        if (colon <= 0) return Optional.empty();
        String scope = inner.substring(0, colon);
        String name = inner.substring(colon + 1);
        if (!HookScripts.NAMES.contains(name)) return Optional.empty();
        if (scope.equals("global")) return Optional.of(new HookResource.Hook(null, name, null, null, List.of()));
        if (SafePaths.absoluteProblem(scope).isPresent()) return Optional.empty();
        return Optional.of(new HookResource.Hook(scope, name, null, null, List.of()));
    }

    // ---- probe (read-only)

    @Override
    public HookObserved probe(HookResource desired, Host host) throws ResourceException {
        if (desired instanceof HookResource.GlobalPath) return new HookObserved.PathState(GitConfig.globalGet(host, HOOKS_PATH));
        HookResource.Hook h = (HookResource.Hook) desired;
        GitConfig.Dirs dirs = hooksDirs(h, host);
        if (dirs == null) return new HookObserved.HookState(null, null);
        String reading = dirs.effective();
        try {
            BoxFs fs = host.fs();
            HookFiles files = HookFiles.read(fs, host.path(dirs.effective()), dirs.effective(), h.name());
            HookFiles fallback = null;
            if (dirs.fallback() != null) {
                reading = dirs.fallback();
                fallback = HookFiles.read(fs, host.path(dirs.fallback()), dirs.fallback(), h.name());
            }
            return new HookObserved.HookState(files, fallback);
        } catch (UnsafePathException e) {
            throw new ResourceException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + Printable.escape(reading) + "/" + h.name() + ": " + e.getMessage(), e);
        }
    }

    /** The hooks directories (box paths) the hook belongs in, or null when its repository is gone. */
    private static GitConfig.Dirs hooksDirs(HookResource.Hook h, Host host) throws ResourceException {
        if (h.global()) return new GitConfig.Dirs(HookSpecParser.globalDir(home(host)), null);
        Path repo = host.path(h.repo());
        boolean workTree;
        try {
            BoxFs fs = host.fs();
            Optional<BoxFs.Entry> entry = fs.stat(repo);
            if (entry.isPresent() && entry.get().kind() == BoxFs.Entry.Kind.SYMLINK && h.content() != null) {
                Optional<String> control = fs.userControl(repo);
                if (control.isPresent()) {
                    throw new ResourceException(h.repo() + " is a symbolic link in a tree a user controls (" + control.get()
                            + "); the agent (root) does not follow it: list the directory it points at in hooks.repos");
                }
            }
            workTree = entry.filter(e -> e.kind() == BoxFs.Entry.Kind.DIRECTORY).isPresent() && fs.stat(repo.resolve(".git")).isPresent();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        if (!workTree) {
            if (h.content() == null) return null;
            throw new ResourceException(h.repo() + " is no longer a git work tree");
        }
        return GitConfig.hooksDirs(host, h.repo());
    }

    private static String home(Host host) throws ResourceException {
        String home = host.facts().home();
        if (home == null || SafePaths.absoluteProblem(home).isPresent()) {
            throw new ResourceException("the developer's home directory is unknown (" + home + ")");
        }
        return home;
    }

    // ---- diff (pure)

    @Override
    public List<Change> diff(HookResource desired, HookObserved observed) {
        if (desired instanceof HookResource.GlobalPath g) {
            String actual = ((HookObserved.PathState) observed).value();
            if (g.set() && !g.dir().equals(actual)) {
                return List.of(Change.of(g.id(), HOOKS_PATH, Layer.PERSISTED, actual, g.dir(), g.origin()));
            }
            if (!g.set() && g.dir().equals(actual)) {
                return List.of(Change.of(g.id(), HOOKS_PATH, Layer.PERSISTED, actual, null, null));
            }
            return List.of();
        }
        HookResource.Hook h = (HookResource.Hook) desired;
        HookObserved.HookState s = (HookObserved.HookState) observed;
        if (s.files() == null) return List.of();
        boolean leftover = s.fallback() != null && s.fallback().agentTouched();
        String from = HookLayout.observed(s.files(), h.global());
        if (leftover) {
            String note = "the agent's hook left in " + Printable.escape(s.fallback().dir()) + " no longer runs (core.hooksPath is "
                    + Printable.escape(s.files().dir()) + "): to be removed there";
            from = from == null ? note : from + "; " + note;
        }
        if (h.content() != null) {
            String want = HookLayout.expected(s.files(), h.global(), h.content());
            return Objects.equals(from, want) ? List.of() : List.of(Change.of(h.id(), CONTENT, Layer.PERSISTED, from, want, h.origin()).withContent(s.payload(), h.content()));
        }
        if (!HookLayout.remove(s.files()).isEmpty() || leftover) {
            return List.of(Change.of(h.id(), CONTENT, Layer.PERSISTED, from, null, null).withContent(s.payload(), null));
        }
        return List.of();
    }

    // ---- apply (idempotent)

    @Override
    public void apply(HookResource desired, Change change, Host host) throws ResourceException {
        if (desired instanceof HookResource.GlobalPath g) {
            String actual = GitConfig.globalGet(host, HOOKS_PATH);
            if (g.set()) {
                if (!g.dir().equals(actual)) GitConfig.globalSet(host, HOOKS_PATH, g.dir());
            } else if (g.dir().equals(actual)) {
                GitConfig.globalSet(host, HOOKS_PATH, null);
            }
            return;
        }
        HookResource.Hook h = (HookResource.Hook) desired;
        GitConfig.Dirs dirs = hooksDirs(h, host);
        if (dirs == null) return;
        String scope = h.global() ? "global" : h.repo();
        HookSteps steps = new HookSteps(host, new KeptCopies(host.stateDir()), scope, h.name(), h.global());
        String working = dirs.effective();
        try {
            BoxFs fs = host.fs();
            Path dir = host.path(dirs.effective());
            if (h.content() != null) {
                fs.createDirectories(dir, h.global());
                fs.removeLeftovers(dir); // temp files of a write that a killed run left behind
                HookFiles files = HookFiles.read(fs, dir, dirs.effective(), h.name());
                try {
                    steps.run(dir, HookLayout.install(files, h.global(), h.content()));
                } catch (HookLayout.Conflict c) {
                    throw new ResourceException("cannot update " + Printable.escape(dirs.effective()) + ": " + c.getMessage() + "; nothing was changed");
                }
            } else if (fs.stat(dir).isPresent()) {
                steps.run(dir, HookLayout.remove(HookFiles.read(fs, dir, dirs.effective(), h.name())));
            }
            if (dirs.fallback() != null) {
                // core.hooksPath (husky's .husky/_) took over: what the agent left in .git/hooks goes back as it was
                working = dirs.fallback();
                Path fallback = host.path(dirs.fallback());
                if (fs.stat(fallback).isPresent()) {
                    steps.run(fallback, HookLayout.remove(HookFiles.read(fs, fallback, dirs.fallback(), h.name())));
                }
            }
        } catch (UnsafePathException e) {
            throw new ResourceException("cannot update " + Printable.escape(working) + "/" + h.name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot update " + Printable.escape(working) + "/" + h.name() + ": " + e.getMessage(), e);
        }
    }
}
