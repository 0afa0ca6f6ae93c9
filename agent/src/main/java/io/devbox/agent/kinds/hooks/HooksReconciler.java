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
import io.devbox.agent.host.UnsafePathException;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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
        String hooksDir = hooksDir(h, host);
        if (hooksDir == null) return new HookObserved.HookState(null, false, false, null, false, false);
        Path dir = host.path(hooksDir);
        Path hook = dir.resolve(h.name());
        Path payload = dir.resolve(h.name() + HookScripts.PAYLOAD_SUFFIX);
        try {
            BoxFs fs = host.fs();
            boolean legacy = fs.stat(dir.resolve(h.name() + HookScripts.LEGACY_SUFFIX)).isPresent();
            Optional<BoxFs.Entry> entry = fs.stat(hook);
            if (entry.isEmpty() || entry.get().kind() != BoxFs.Entry.Kind.FILE) {
                boolean other = entry.isPresent();
                return new HookObserved.HookState(hooksDir, other, false, other ? "not a regular file" : null, false, legacy);
            }
            byte[] hookBytes = readHook(fs, hook);
            boolean managed = HookScripts.isManaged(hookBytes);
            Optional<BoxFs.Entry> payloadEntry = managed ? fs.stat(payload).filter(e -> e.kind() == BoxFs.Entry.Kind.FILE) : Optional.empty();
            byte[] payloadBytes = payloadEntry.isPresent() ? readHook(fs, payload) : null;
            String fp = HookScripts.fingerprint(hookBytes, managed ? (payloadBytes != null ? payloadBytes : new byte[0]) : null);
            boolean exec = entry.get().executable() && (!managed || payloadEntry.isPresent() && payloadEntry.get().executable());
            // the payload as read through the capped BoxFs read above; the diff a plan shows needs only a short one
            String text = payloadBytes != null && payloadBytes.length <= 64 * 1024 ? new String(payloadBytes, StandardCharsets.UTF_8) : null;
            return new HookObserved.HookState(hooksDir, true, managed, fp, exec, legacy, text);
        } catch (UnsafePathException e) {
            throw new ResourceException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + hook + ": " + e.getMessage(), e);
        }
    }

    /** A hook (foreign or the agent's) as written in a hooks directory: at most {@link #HOOK_CAP} bytes. */
    private static byte[] readHook(BoxFs fs, Path file) throws IOException {
        return fs.read(file, HOOK_CAP, "a hook").orElse(new byte[0]);
    }

    /** The hooks directory (box path) the hook belongs in, or null when its repository is gone. */
    private static String hooksDir(HookResource.Hook h, Host host) throws ResourceException {
        if (h.global()) return HookSpecParser.globalDir(home(host));
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
        return GitConfig.hooksDir(host, h.repo());
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
        if (s.hooksDir() == null) return List.of();
        String from = describe(h.name(), s);
        if (h.presence().isPresent()) {
            String want = HookScripts.expectedFingerprint(h.name(), h.global(), h.content());
            return Objects.equals(from, want) ? List.of()
                    : List.of(Change.of(h.id(), h.origin(), new HookOp.Install(from, want, s.payload(), h.content())));
        }
        if (s.managed() || (!s.hookExists() && s.legacy())) {
            return List.of(Change.of(h.id(), h.origin(), new HookOp.Uninstall(from, s.payload())));
        }
        return List.of();
    }

    /** The observed hook as plans show it; equal to the desired fingerprint exactly when the hook is as written. */
    private static String describe(String name, HookObserved.HookState s) {
        if (!s.hookExists()) return s.legacy() ? name + HookScripts.LEGACY_SUFFIX + " not restored" : null;
        if (!s.managed()) return "foreign hook (" + s.fingerprint() + "), to be kept as " + name + HookScripts.LEGACY_SUFFIX;
        return s.executable() ? s.fingerprint() : s.fingerprint() + ", not executable";
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
                inHooksDir((HookResource.Hook) desired, host, (h, dir) -> HooksReconciler.this.install(h, op.text(), dir, host));
            }

            @Override
            public void uninstall(HookOp.Uninstall op) throws ResourceException {
                inHooksDir((HookResource.Hook) desired, host, (h, dir) -> HooksReconciler.this.uninstall(h, dir, host));
            }
        });
    }

    /** A step on one hook in its hooks directory. */
    private interface HookStep {
        void run(HookResource.Hook h, Path dir) throws IOException, ResourceException;
    }

    private static void inHooksDir(HookResource.Hook h, Host host, HookStep step) throws ResourceException {
        String hooksDir = hooksDir(h, host);
        if (hooksDir == null) return;
        try {
            step.run(h, host.path(hooksDir));
        } catch (UnsafePathException e) {
            throw new ResourceException("cannot update " + hooksDir + "/" + h.name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot update " + hooksDir + "/" + h.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the hook through {@link BoxFs}: the hooks directory usually lies in the developer's repository or home,
     * so every file is opened relative to directory handles without following links, and what the agent writes there
     * belongs to the directory's owner (the developer's git runs it). Root does this rather than the developer because
     * a root-owned hooks directory (a sandbox, a shared checkout) must keep working the same way.
     */
    private void install(HookResource.Hook h, String text, Path dir, Host host) throws IOException, ResourceException {
        BoxFs fs = host.fs();
        fs.createDirectories(dir, h.global());
        fs.removeLeftovers(dir); // temp files of a write that a killed run left behind
        String name = h.name();
        String legacyName = name + HookScripts.LEGACY_SUFFIX;
        Path hook = dir.resolve(name);
        Path legacy = dir.resolve(legacyName);
        Optional<BoxFs.Entry> existing = fs.stat(hook);
        if (existing.isPresent()) {
            BoxFs.Entry.Kind kind = existing.get().kind();
            boolean managed = kind == BoxFs.Entry.Kind.FILE && HookScripts.isManaged(readHook(fs, hook));
            if (!managed) {
                if (kind != BoxFs.Entry.Kind.FILE && kind != BoxFs.Entry.Kind.SYMLINK) {
                    throw new ResourceException(hook + " is not a file; not replacing it");
                }
                if (fs.stat(legacy).isPresent()) {
                    if (kind != BoxFs.Entry.Kind.FILE || !Arrays.equals(readHook(fs, hook), readHook(fs, legacy))) {
                        throw new ResourceException("both " + hook + " and " + legacy + " exist and neither is devbox-agent's;"
                                + " merge them by hand, then the agent keeps " + name + " as " + legacyName);
                    }
                    fs.delete(hook);
                } else {
                    // never destroy a hook the agent did not write: it stays, runs first, and comes back on removal
                    fs.rename(dir, name, legacyName);
                }
            }
        }
        fs.write(dir.resolve(name + HookScripts.PAYLOAD_SUFFIX), text.getBytes(StandardCharsets.UTF_8), "rwxr-xr-x", false);
        fs.write(hook, HookScripts.wrapper(name, h.global()).getBytes(StandardCharsets.UTF_8), "rwxr-xr-x", false);
    }

    private void uninstall(HookResource.Hook h, Path dir, Host host) throws IOException {
        BoxFs fs = host.fs();
        String name = h.name();
        Path hook = dir.resolve(name);
        Optional<BoxFs.Entry> entry = fs.stat(hook);
        boolean managed = entry.isPresent() && entry.get().kind() == BoxFs.Entry.Kind.FILE && HookScripts.isManaged(readHook(fs, hook));
        if (managed) {
            fs.delete(hook);
            fs.delete(dir.resolve(name + HookScripts.PAYLOAD_SUFFIX));
        }
        if (fs.stat(hook).isEmpty() && fs.stat(dir.resolve(name + HookScripts.LEGACY_SUFFIX)).isPresent()) {
            fs.rename(dir, name + HookScripts.LEGACY_SUFFIX, name);
        }
    }
}
