package io.devbox.agent.kinds.hooks;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.Ownership;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
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
        String hooksDir = hooksDir(h, host);
        if (hooksDir == null) return new HookObserved.HookState(null, false, false, null, false, false);
        Path dir = host.path(hooksDir);
        Path hook = dir.resolve(h.name());
        Path payload = dir.resolve(h.name() + HookScripts.PAYLOAD_SUFFIX);
        boolean legacy = Files.exists(dir.resolve(h.name() + HookScripts.LEGACY_SUFFIX), LinkOption.NOFOLLOW_LINKS);
        try {
            if (!Files.isRegularFile(hook)) {
                boolean other = Files.exists(hook, LinkOption.NOFOLLOW_LINKS);
                return new HookObserved.HookState(hooksDir, other, false, other ? "not a regular file" : null, false, legacy);
            }
            byte[] hookBytes = Files.readAllBytes(hook);
            boolean managed = HookScripts.isManaged(hookBytes);
            byte[] payloadBytes = managed && Files.isRegularFile(payload) ? Files.readAllBytes(payload) : null;
            String fp = HookScripts.fingerprint(hookBytes, managed ? (payloadBytes != null ? payloadBytes : new byte[0]) : null);
            boolean exec = Files.isExecutable(hook) && (!managed || payloadBytes != null && Files.isExecutable(payload));
            String text = payloadBytes != null && payloadBytes.length <= 64 * 1024 ? new String(payloadBytes, StandardCharsets.UTF_8) : null;
            return new HookObserved.HookState(hooksDir, true, managed, fp, exec, legacy, text);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + hook + ": " + e.getMessage(), e);
        }
    }

    /** The hooks directory (box path) the hook belongs in, or null when its repository is gone. */
    private static String hooksDir(HookResource.Hook h, Host host) throws ResourceException {
        if (h.global()) return HookSpecParser.globalDir(home(host));
        Path repo = host.path(h.repo());
        if (!Files.isDirectory(repo) || !Files.exists(repo.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
            if (h.content() == null) return null;
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
        if (s.hooksDir() == null) return List.of();
        String from = describe(h.name(), s);
        if (h.content() != null) {
            String want = HookScripts.expectedFingerprint(h.name(), h.global(), h.content());
            return Objects.equals(from, want) ? List.of()
                    : List.of(Change.of(h.id(), CONTENT, Layer.PERSISTED, from, want, h.origin()).withContent(s.payload(), h.content()));
        }
        if (s.managed() || (!s.hookExists() && s.legacy())) {
            return List.of(Change.of(h.id(), CONTENT, Layer.PERSISTED, from, null, null).withContent(s.payload(), null));
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
        String hooksDir = hooksDir(h, host);
        if (hooksDir == null) return;
        Path dir = host.path(hooksDir);
        try {
            if (h.content() != null) install(h, dir, host);
            else uninstall(h, dir);
        } catch (IOException e) {
            throw new ResourceException("cannot update " + hooksDir + "/" + h.name() + ": " + e.getMessage(), e);
        }
    }

    private void install(HookResource.Hook h, Path dir, Host host) throws IOException, ResourceException {
        if (h.global()) Ownership.createDirectoriesFor(dir, host.facts());
        else Files.createDirectories(dir);
        AtomicFiles.removeLeftovers(dir); // temp files of a write that a killed run left behind
        Path hook = dir.resolve(h.name());
        Path legacy = dir.resolve(h.name() + HookScripts.LEGACY_SUFFIX);
        Path payload = dir.resolve(h.name() + HookScripts.PAYLOAD_SUFFIX);
        if (Files.exists(hook, LinkOption.NOFOLLOW_LINKS)) {
            boolean managed = Files.isRegularFile(hook) && HookScripts.isManaged(Files.readAllBytes(hook));
            if (!managed) {
                if (!Files.isRegularFile(hook, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(hook)) {
                    throw new ResourceException(hook + " is not a file; not replacing it");
                }
                if (Files.exists(legacy, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Arrays.equals(Files.readAllBytes(hook), Files.readAllBytes(legacy))) {
                        throw new ResourceException("both " + hook + " and " + legacy + " exist and neither is devbox-agent's;"
                                + " merge them by hand, then the agent keeps " + h.name() + " as " + legacy.getFileName());
                    }
                    AtomicFiles.delete(hook);
                } else {
                    // never destroy a hook the agent did not write: it stays, runs first, and comes back on removal
                    Files.move(hook, legacy, StandardCopyOption.ATOMIC_MOVE);
                    AtomicFiles.fsyncDirectory(dir);
                }
            }
        }
        AtomicFiles.write(payload, h.content().getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
        AtomicFiles.write(hook, HookScripts.wrapper(h.name(), h.global()).getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
        if (host.facts().root()) {
            // files the developer's git runs belong to whoever owns the hooks directory, not to root
            matchOwner(payload, dir);
            matchOwner(hook, dir);
        }
    }

    private void uninstall(HookResource.Hook h, Path dir) throws IOException {
        Path hook = dir.resolve(h.name());
        Path legacy = dir.resolve(h.name() + HookScripts.LEGACY_SUFFIX);
        boolean managed = Files.isRegularFile(hook, LinkOption.NOFOLLOW_LINKS) && HookScripts.isManaged(Files.readAllBytes(hook));
        if (managed) {
            AtomicFiles.delete(hook);
            AtomicFiles.delete(dir.resolve(h.name() + HookScripts.PAYLOAD_SUFFIX));
        }
        if (!Files.exists(hook, LinkOption.NOFOLLOW_LINKS) && Files.exists(legacy, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(legacy, hook, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(dir);
        }
    }

    private static void matchOwner(Path file, Path like) throws IOException {
        PosixFileAttributes a = Files.readAttributes(like, PosixFileAttributes.class);
        PosixFileAttributeView v = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        v.setOwner(a.owner());
        v.setGroup(a.group());
    }
}
