package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.FileTrees;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.UnsafePathException;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Go toolchains: {@code go[1.22.5]} per version under {@code installDir}, {@code go[default]} (the {@code current}
 * symlink and /etc/profile.d/devbox-go.sh), {@code go[env:KEY]} per managed key of the developer's Go env file.
 *
 * <p>Over 300 lines because its three resource shapes (a version, the default, an env key) share one layout of the
 * install dir and one privilege-checked way to touch it; split per shape they would repeat it.
 */
public final class GoReconciler implements Reconciler<GoResource, GoObserved> {
    static final String INSTALLED = "installed";
    static final String CURRENT = "current";
    static final String SCRIPT = "profile.d";
    static final String VALUE = "value";
    /** go env -w writes a handful of lines; a larger file is not one the agent edits. */
    static final long ENV_FILE_CAP = 1L << 20;
    private static final long SCRIPT_CAP = 64L << 10;

    private final GoInstaller installer;
    /** Settings of this run's go section, for removal(); null when the section is absent (then nothing is pruned). */
    private GoSpecParser.Parsed parsed;
    private final Set<Path> installDirsTouched = new LinkedHashSet<>();

    public GoReconciler() {
        this(Downloader.standard(), TarGzExtractor.standard());
    }

    public GoReconciler(Downloader downloader, TarGzExtractor extractor) {
        this.installer = new GoInstaller(downloader, extractor);
    }

    @Override
    public String kind() {
        return GoKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return GoKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<GoResource> desired(Node section, DesiredContext context) throws ProfileException {
        parsed = GoSpecParser.parse(section, context.identity() != null ? context.identity().home() : null);
        if (context.host() != null) {
            String problem = installDirProblem(context.host(), parsed.installDir());
            if (problem != null) throw new ProfileException(parsed.installDirOrigin(), "go.installDir " + parsed.installDir() + ": " + problem);
        }
        return parsed.resources();
    }

    /**
     * Why root may not install toolchains into {@code installDir} and run their {@code bin/go}: some directory on the
     * way is another user's or writable by group or others, so that user could swap the binary root runs. Null when
     * only root controls it.
     */
    static String installDirProblem(Host host, String installDir) {
        try {
            return host.fs().userControl(host.path(installDir))
                    .map(why -> why + ", so that user could replace the go binaries root runs; use a directory only root can"
                            + " write all the way up, e.g. " + GoLayout.DEFAULT_INSTALL_DIR)
                    .orElse(null);
        } catch (IOException e) {
            return "cannot check who controls it: " + e.getMessage();
        }
    }

    @Override
    public Optional<GoResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (!resourceId.startsWith("go[") || !resourceId.endsWith("]")) return Optional.empty();
        String name = resourceId.substring(3, resourceId.length() - 1);
        String installDir = parsed != null ? parsed.installDir() : GoLayout.DEFAULT_INSTALL_DIR;
        if (name.equals("default")) {
            String current = lastApplied.get(CURRENT + "@" + Layer.PERSISTED.label());
            String dir = parentOf(current);
            return Optional.of(new GoResource.Default(null, dir != null ? dir : installDir, null, null, Presence.absent(lastApplied)));
        }
        if (name.startsWith("env:")) {
            return Optional.of(new GoResource.EnvKey(name.substring(4), null, null, List.of(), Presence.absent(lastApplied)));
        }
        if (GoSpecParser.VERSION.matcher(name).matches()) {
            // pruning is opt-in: only with prune: true in this run's go section
            if (parsed == null || !parsed.prune()) return Optional.empty();
            String dir = parentOf(lastApplied.get(INSTALLED + "@" + Layer.PERSISTED.label()));
            return Optional.of(new GoResource.Version(name, dir != null ? dir : installDir, Presence.absent(lastApplied), parsed.mirror(), null, null));
        }
        return Optional.empty();
    }

    private static String parentOf(String boxPath) {
        if (boxPath == null || SafePaths.absoluteProblem(boxPath).isPresent()) return null;
        int slash = boxPath.lastIndexOf('/');
        return slash > 0 ? boxPath.substring(0, slash) : null;
    }

    @Override
    public GoObserved probe(GoResource desired, Host host) throws ResourceException {
        if (desired instanceof GoResource.Version v) return GoInstaller.inspect(host, v.dir(), v.version());
        if (desired instanceof GoResource.Default d) return probeDefault(d, host);
        GoResource.EnvKey e = (GoResource.EnvKey) desired;
        return new GoObserved.EnvState(GoEnvFile.get(readEnvFile(host), e.key()));
    }

    private GoObserved.DefaultState probeDefault(GoResource.Default d, Host host) throws ResourceException {
        Path current = host.path(d.installDir()).resolve(GoLayout.CURRENT);
        String currentValue = null;
        try {
            if (Files.isSymbolicLink(current)) {
                Path target = Files.readSymbolicLink(current);
                currentValue = target.isAbsolute() ? target.toString() : d.installDir() + "/" + target;
            } else if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                currentValue = "(not a symlink)";
            }
            Path script = host.path(GoLayout.PROFILE_SCRIPT);
            String scriptText = host.fs().read(script, SCRIPT_CAP, "a profile.d script")
                    .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
            return new GoObserved.DefaultState(currentValue, scriptText == null ? null : GoLayout.fingerprint(scriptText), scriptText);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + d.installDir() + "/current or " + GoLayout.PROFILE_SCRIPT + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Change> diff(GoResource desired, GoObserved observed) {
        List<Change> changes = new ArrayList<>();
        if (desired instanceof GoResource.Version v) {
            GoObserved.VersionState s = (GoObserved.VersionState) observed;
            String from = describe(v, s);
            if (v.presence().isPresent() && !(s.exists() && s.marker() && s.problem() == null)) {
                changes.add(Change.of(v.id(), v.origin(), new GoOp.InstallVersion(from, v.dir())));
            } else if (v.presence().isAbsent() && s.exists() && s.marker()) {
                changes.add(Change.of(v.id(), v.origin(), new GoOp.RemoveVersion(from)));
            }
        } else if (desired instanceof GoResource.Default d) {
            GoObserved.DefaultState s = (GoObserved.DefaultState) observed;
            if (d.presence().isPresent()) {
                String wantCurrent = GoLayout.versionDir(d.installDir(), d.version());
                // switching the default changes the go every shell and IDE gets
                if (!wantCurrent.equals(s.current())) changes.add(Change.of(d.id(), d.origin(), new GoOp.SetCurrent(s.current(), wantCurrent)));
                String script = GoLayout.profileScript(d.installDir(), d.tools());
                if (!GoLayout.fingerprint(script).equals(s.script())) {
                    changes.add(Change.of(d.id(), d.origin(), new GoOp.WriteScript(s.script(), s.scriptText(), script)));
                }
            } else {
                if (s.current() != null) changes.add(Change.of(d.id(), d.origin(), new GoOp.RemoveCurrent(s.current())));
                if (s.script() != null) changes.add(Change.of(d.id(), d.origin(), new GoOp.DeleteScript(s.script(), s.scriptText())));
            }
        } else if (desired instanceof GoResource.EnvKey e) {
            GoObserved.EnvState s = (GoObserved.EnvState) observed;
            if (e.presence().isPresent() && !e.value().equals(s.value())) {
                changes.add(Change.of(e.id(), e.origin(), new GoOp.SetEnv(s.value(), e.value())));
            } else if (e.presence().isAbsent() && s.value() != null) {
                changes.add(Change.of(e.id(), e.origin(), new GoOp.UnsetEnv(s.value())));
            }
        }
        return changes;
    }

    /** The observed value of a version in plans: its directory when installed, else what is wrong (null: absent). */
    private static String describe(GoResource.Version v, GoObserved.VersionState s) {
        if (!s.exists()) return null;
        if (!s.marker()) return "present but not installed by devbox-agent" + (s.problem() != null ? " (" + s.problem() + ")" : "");
        if (s.problem() != null) return "incomplete (" + s.problem() + ")";
        return v.dir();
    }

    @Override
    public void apply(GoResource desired, Change change, Host host) throws ResourceException {
        GoOp op = Operation.of(change, GoOp.class);
        String installDir = desired instanceof GoResource.Version v ? v.installDir()
                : desired instanceof GoResource.Default d ? d.installDir() : null;
        if (installDir != null) {
            // planned from a removal's last applied value, or changed hands since the plan
            String problem = installDirProblem(host, installDir);
            if (problem != null) throw new ResourceException("not touching " + installDir + ": " + problem);
            installDirsTouched.add(host.path(installDir));
        }
        op.applyWith(new GoSteps(desired, change, installer, host));
    }

    static Path envFile(Host host) throws ResourceException {
        String home = host.facts().home();
        if (home == null || SafePaths.absoluteProblem(home).isPresent()) {
            throw new ResourceException("the developer's home directory is unknown (" + home + "); cannot manage the Go env file");
        }
        return host.path(home).resolve(".config/go/env");
    }

    static String readEnvFile(Host host) throws ResourceException {
        Path file = envFile(host);
        try {
            return host.fs().read(file, ENV_FILE_CAP, "a Go env file").map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        } catch (UnsafePathException e) {
            throw new ResourceException("cannot read the Go env file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ResourceException("cannot read the Go env file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes what a killed earlier run left under the install directories this run worked in. */
    @Override
    public void finish(Host host) throws ResourceException {
        if (parsed != null) installDirsTouched.add(host.path(parsed.installDir()));
        for (Path dir : installDirsTouched) {
            try {
                FileTrees.removeLeftovers(dir);
            } catch (IOException e) {
                throw new ResourceException("cannot clean temp files in " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
