package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
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
        return HooksKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return HooksKind.DESCRIPTOR.specKey();
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
            return Optional.of(new HookResource.GlobalPath(dir, Presence.absent(lastApplied), null, List.of(), List.of()));
        }
        int colon = inner.lastIndexOf(':');
        if (colon <= 0) return Optional.empty();
        String scope = inner.substring(0, colon);
        String name = inner.substring(colon + 1);
        if (!HookScripts.NAMES.contains(name)) return Optional.empty();
        if (scope.equals("global")) return Optional.of(HookResource.Hook.absent(null, name, Presence.absent(lastApplied)));
        if (SafePaths.absoluteProblem(scope).isPresent()) return Optional.empty();
        return Optional.of(HookResource.Hook.absent(scope, name, Presence.absent(lastApplied)));
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
            if (entry.isPresent() && entry.get().kind() == BoxFs.Entry.Kind.SYMLINK && h.presence().isPresent()) {
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
            if (h.presence().isAbsent()) return null;
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
            if (g.presence().isPresent() && !g.dir().equals(actual)) {
                return List.of(Change.of(g.id(), g.origin(), new HookOp.SetHooksPath(actual, g.dir())));
            }
            if (g.presence().isAbsent() && g.dir().equals(actual)) {
                return List.of(Change.of(g.id(), g.origin(), new HookOp.UnsetHooksPath(actual)));
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
        if (h.presence().isPresent()) {
            String want = HookLayout.expected(s.files(), h.global(), h.content());
            return Objects.equals(from, want) ? List.of()
                    : List.of(Change.of(h.id(), h.origin(), new HookOp.Install(from, want, s.payload(), h.content())));
        }
        if (!HookLayout.remove(s.files()).isEmpty() || leftover) {
            return List.of(Change.of(h.id(), h.origin(), new HookOp.Uninstall(from, s.payload())));
        }
        return List.of();
    }

    // ---- apply (idempotent)

    @Override
    public void apply(HookResource desired, Change change, Host host) throws ResourceException {
        Operation.of(change, HookOp.class).applyWith(new HookOp.Steps() {
            @Override
            public void setHooksPath(HookOp.SetHooksPath op) throws ResourceException {
                if (!op.to().equals(GitConfig.globalGet(host, HOOKS_PATH))) GitConfig.globalSet(host, HOOKS_PATH, op.to());
            }

            @Override
            public void unsetHooksPath(HookOp.UnsetHooksPath op) throws ResourceException {
                // only while it still points at the agent's directory: the developer may have set their own since
                if (((HookResource.GlobalPath) desired).dir().equals(GitConfig.globalGet(host, HOOKS_PATH))) {
                    GitConfig.globalSet(host, HOOKS_PATH, null);
                }
            }

            @Override
            public void install(HookOp.Install op) throws ResourceException {
                converge((HookResource.Hook) desired, op.text(), host);
            }

            @Override
            public void uninstall(HookOp.Uninstall op) throws ResourceException {
                converge((HookResource.Hook) desired, null, host);
            }
        });
    }

    /**
     * Brings the hook's files to the layout {@link HookLayout} gives for {@code content} (null: the hook leaves, and
     * what the agent kept or moved aside goes back), and clears what the agent left in a hooks directory git no longer
     * reads. Reads the files afresh, so it is idempotent whatever moved since the plan.
     */
    private static void converge(HookResource.Hook h, String content, Host host) throws ResourceException {
        GitConfig.Dirs dirs = hooksDirs(h, host);
        if (dirs == null) return;
        String scope = h.global() ? "global" : h.repo();
        HookSteps steps = new HookSteps(host, new KeptCopies(host.stateDir()), scope, h.name(), h.global());
        String working = dirs.effective();
        try {
            BoxFs fs = host.fs();
            Path dir = host.path(dirs.effective());
            if (content != null) {
                fs.createDirectories(dir, h.global());
                fs.removeLeftovers(dir); // temp files of a write that a killed run left behind
                HookFiles files = HookFiles.read(fs, dir, dirs.effective(), h.name());
                try {
                    steps.run(dir, HookLayout.install(files, h.global(), content));
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
