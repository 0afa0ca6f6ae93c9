package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.UnsafePathException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** How each {@link GoOp} is made true for one go resource. */
final class GoSteps implements GoOp.Steps {
    private final GoResource desired;
    private final Change change;
    private final GoInstaller installer;
    private final Host host;

    GoSteps(GoResource desired, Change change, GoInstaller installer, Host host) {
        this.desired = desired;
        this.change = change;
        this.installer = installer;
        this.host = host;
    }

    @Override
    public void installVersion(GoOp.InstallVersion o) throws ResourceException {
        installer.install(as(GoResource.Version.class), host);
    }

    @Override
    public void removeVersion(GoOp.RemoveVersion o) throws ResourceException {
        installer.remove(as(GoResource.Version.class), host);
    }

    @Override
    public void setCurrent(GoOp.SetCurrent o) throws ResourceException {
        switchCurrent(as(GoResource.Default.class), host);
    }

    @Override
    public void removeCurrent(GoOp.RemoveCurrent o) throws ResourceException {
        GoResource.Default d = as(GoResource.Default.class);
        Path current = host.path(d.installDir()).resolve(GoLayout.CURRENT);
        try {
            if (Files.isSymbolicLink(current)) AtomicFiles.delete(current);
        } catch (IOException e) {
            throw new ResourceException("cannot switch " + d.installDir() + "/current: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeScript(GoOp.WriteScript o) throws ResourceException {
        applyScript(o.text(), host);
    }

    @Override
    public void deleteScript(GoOp.DeleteScript o) throws ResourceException {
        applyScript(null, host);
    }

    @Override
    public void setEnv(GoOp.SetEnv o) throws ResourceException {
        applyEnv(as(GoResource.EnvKey.class).key(), o.value(), host);
    }

    @Override
    public void unsetEnv(GoOp.UnsetEnv o) throws ResourceException {
        applyEnv(as(GoResource.EnvKey.class).key(), null, host);
    }

    private <T extends GoResource> T as(Class<T> type) throws ResourceException {
        if (!type.isInstance(desired)) throw new ResourceException("unexpected change " + change.field() + " for " + desired.id());
        return type.cast(desired);
    }

    /** Points {@code current} at the default's version, which must be installed (by the agent). */
    private static void switchCurrent(GoResource.Default d, Host host) throws ResourceException {
        Path installDir = host.path(d.installDir());
        Path current = installDir.resolve(GoLayout.CURRENT);
        try {
            String problem = GoInstaller.versionProblem(host, host.path(GoLayout.versionDir(d.installDir(), d.version())), d.version());
            boolean marker = Files.isRegularFile(host.path(GoLayout.versionDir(d.installDir(), d.version())).resolve(GoLayout.MARKER));
            if (problem != null || !marker) {
                throw new ResourceException("cannot make Go " + d.version() + " the default: it is not installed"
                        + (problem != null ? " (" + problem + ")" : ""));
            }
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(current)) {
                throw new ResourceException(d.installDir() + "/current exists and is not a symlink; not replacing it");
            }
            // a new symlink under a temp name renamed over the old one: readers see the old or the new default
            Path tmp = AtomicFiles.tempName(installDir, "current");
            Files.createSymbolicLink(tmp, Path.of("go" + d.version()));
            try {
                Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            AtomicFiles.fsyncDirectory(installDir);
        } catch (IOException e) {
            throw new ResourceException("cannot switch " + d.installDir() + "/current: " + e.getMessage(), e);
        }
    }

    /** Writes the profile.d script with {@code text}, or deletes it ({@code text} null). */
    private static void applyScript(String text, Host host) throws ResourceException {
        Path script = host.path(GoLayout.PROFILE_SCRIPT);
        try {
            if (text == null) host.fs().delete(script);
            else host.fs().write(script, text.getBytes(StandardCharsets.UTF_8), "rw-r--r--", false);
        } catch (IOException e) {
            throw new ResourceException("cannot write " + GoLayout.PROFILE_SCRIPT + ": " + e.getMessage(), e);
        }
    }

    /**
     * The env file lies in the developer's home, a tree the developer controls: root reads and writes it only through
     * {@link BoxFs} (no link followed, 1 MiB cap, the new file handed to the home's owner through the directory handle).
     * Root rather than the developer does the work because the home may be root's (a sandbox, a fresh box) and the
     * file must then still go to the developer, as it always did.
     */
    private static void applyEnv(String key, String value, Host host) throws ResourceException {
        Path file = GoReconciler.envFile(host);
        try {
            BoxFs fs = host.fs();
            boolean existed = fs.stat(file).isPresent();
            String before = GoReconciler.readEnvFile(host);
            String after = GoEnvFile.set(before, key, value);
            Path createdRecord = createdEnvFileRecord(host);
            if (existed && after.isEmpty() && Files.exists(createdRecord)) {
                // the agent made this file and its last key goes: the file goes with it (a key of the developer's keeps it)
                fs.delete(file);
                Files.deleteIfExists(createdRecord);
                return;
            }
            if (after.equals(before) && existed) return;
            if (value == null && !existed) return;
            if (!existed) AtomicFiles.write(createdRecord, (file + "\n").getBytes(StandardCharsets.UTF_8)); // root-only: the agent's state
            fs.write(file, after.getBytes(StandardCharsets.UTF_8), existed ? null : "rw-r--r--", true);
        } catch (UnsafePathException ex) {
            throw new ResourceException("cannot update the Go env file: " + ex.getMessage(), ex);
        } catch (IOException ex) {
            throw new ResourceException("cannot update the Go env file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** The agent's record that it created the developer's Go env file (so that it removes the file it made, and only that). */
    static Path createdEnvFileRecord(Host host) {
        return host.stateDir().resolve("go").resolve("created-env-file");
    }
}
