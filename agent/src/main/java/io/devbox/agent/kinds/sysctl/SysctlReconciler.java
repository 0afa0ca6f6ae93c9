package io.devbox.agent.kinds.sysctl;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.KernelFiles;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Kernel parameters, in two layers: the running value under /proc/sys and the persisted value in the agent's
 * sysctl.d file. One instance serves one run and caches the sysctl.d view until it writes.
 */
public final class SysctlReconciler implements Reconciler<SysctlSetting, SysctlObserved> {
    static final String RUNTIME = "runtime";
    static final String PERSISTED = "persisted";

    private final KernelFiles.Reader kernel = new KernelFiles.Reader();
    private ManagedSysctlFile managed;
    private Map<String, SysctlConfFiles.Assignment> effective;
    private final Predicate<Host> bootAppliesSysctlD;
    private Boolean bootCommandPersists;

    /** @param bootAppliesSysctlD whether the box runs {@code sysctl --system} at boot without systemd (see {@link SysctlKind}) */
    public SysctlReconciler(Predicate<Host> bootAppliesSysctlD) {
        this.bootAppliesSysctlD = bootAppliesSysctlD;
    }

    @Override
    public String kind() {
        return SysctlKind.KIND;
    }

    @Override
    public String specKey() {
        return SysctlKind.SPEC_KEY;
    }

    @Override
    public List<SysctlSetting> desired(Node section, DesiredContext context) throws ProfileException {
        if (!(section instanceof Node.Mapping map)) {
            throw new ProfileException(section.origin(), "spec.sysctl must be a mapping of key: value");
        }
        List<SysctlSetting> out = new ArrayList<>();
        List<ProfileError> errors = new ArrayList<>();
        for (Map.Entry<String, Node> e : map.entries().entrySet()) {
            SysctlKey key;
            try {
                key = SysctlKey.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                errors.add(new ProfileError(map.keyOrigin(e.getKey()), ex.getMessage()));
                continue;
            }
            if (!(e.getValue() instanceof Node.Scalar s) || s.isNull()) {
                errors.add(new ProfileError(e.getValue().origin(), "sysctl " + key.name() + ": expected a number or a string"));
                continue;
            }
            String v = SysctlValue.normalize(s.text()); // one line, no NUL: the schema's
            if (v.isEmpty()) {
                errors.add(new ProfileError(s.origin(), "sysctl " + key.name() + ": empty value"));
            } else {
                out.add(new SysctlSetting(key, v, s.origin()));
            }
        }
        if (!errors.isEmpty()) throw new ProfileException(errors);
        return out;
    }

    @Override
    public List<String> warnings(SysctlSetting desired, Host host) {
        if (desired.managed() && host.facts().wsl() && !host.facts().systemd() && !bootCommandPersists(host)) {
            return List.of("persisted: nothing applies /etc/sysctl.d at boot on WSL without systemd; enable systemd in "
                    + "/etc/wsl.conf or set wsl.persistSysctls: true, else the value is lost at the next WSL restart");
        }
        return List.of();
    }

    /** wsl.persistSysctls makes /etc/wsl.conf's boot command run {@code sysctl --system}; read once per run. */
    private boolean bootCommandPersists(Host host) {
        if (bootCommandPersists == null) bootCommandPersists = bootAppliesSysctlD.test(host);
        return bootCommandPersists;
    }

    @Override
    public SysctlObserved probe(SysctlSetting desired, Host host) throws ResourceException {
        String persisted;
        try {
            persisted = managed(host).entries().get(desired.key().name());
            if (desired.managed()) checkNotShadowed(desired, host);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + ManagedSysctlFile.PATH + ": " + IoErrors.describe(e), e);
        }
        if (!desired.managed()) return new SysctlObserved(null, persisted);
        Path file = desired.key().under(host.sysctlDir());
        String runtime;
        try {
            runtime = SysctlValue.normalize(kernel.read(file));
        } catch (NoSuchFileException e) {
            throw new ResourceException("no such kernel parameter: " + file + " does not exist"
                    + (desired.key().isNetwork() ? " (module not loaded, or the key exists only in the initial network namespace)"
                    : " (module not loaded, or not available on this kernel)"));
        } catch (IOException e) {
            throw new ResourceException("cannot read " + file + ": " + IoErrors.describe(e), e);
        }
        if (!desired.value().equals(runtime) && !Files.isWritable(file)) {
            throw new ResourceException("kernel parameter " + desired.key().name() + " is read-only here ("
                    + file + "); it is " + runtime + ", wanted " + desired.value());
        }
        return new SysctlObserved(runtime, persisted);
    }

    /** A later sysctl.d file or /etc/sysctl.conf that sets the key would win at boot over the agent's file. */
    private void checkNotShadowed(SysctlSetting desired, Host host) throws IOException, ResourceException {
        if (effective == null) effective = SysctlConfFiles.effective(host::path);
        SysctlConfFiles.Assignment a = effective.get(desired.key().name());
        Path ours = managed(host).path();
        if (a != null && !a.file().equals(ours) && isAfterOurs(a.file(), host) && !a.value().equals(desired.value())) {
            throw new ResourceException("persisted: " + a.file() + " sets " + desired.key().name() + " = " + a.value()
                    + " and is read after " + ManagedSysctlFile.PATH + ", so it would win at boot; remove it there");
        }
    }

    private static boolean isAfterOurs(Path other, Host host) {
        if (other.equals(host.path(SysctlConfFiles.SYSCTL_CONF))) return true;
        return other.getFileName().toString().compareTo("90-devbox-agent.conf") > 0;
    }

    /** A kernel parameter exists before the agent sets it: a new persisted line is a change (~), never an add (+). */
    @Override
    public boolean exists(SysctlSetting desired, SysctlObserved observed, List<Change> changes) {
        return observed.runtime() != null || observed.persisted() != null;
    }

    @Override
    public List<Change> diff(SysctlSetting desired, SysctlObserved observed) {
        List<Change> changes = new ArrayList<>(2);
        if (desired.managed() && !desired.value().equals(observed.runtime())) {
            changes.add(Change.of(desired.id(), desired.origin(), new SysctlOp.SetRuntime(observed.runtime(), desired.value())));
        }
        if (!desired.managed() && observed.persisted() != null) {
            changes.add(Change.of(desired.id(), desired.origin(), new SysctlOp.Unpersist(observed.persisted())));
        } else if (desired.managed() && !desired.value().equals(observed.persisted())) {
            changes.add(Change.of(desired.id(), desired.origin(), new SysctlOp.Persist(observed.persisted(), desired.value())));
        }
        return changes;
    }

    @Override
    public void apply(SysctlSetting desired, Change change, Host host) throws ResourceException {
        Operation.of(change, SysctlOp.class).applyWith(new SysctlOp.Steps() {
            @Override
            public void setRuntime(SysctlOp.SetRuntime op) throws ResourceException {
                writeRuntime(desired.key(), op.to(), host);
            }

            @Override
            public void persist(SysctlOp.Persist op) throws ResourceException {
                writePersisted(desired.key(), op.to(), host);
            }

            @Override
            public void unpersist(SysctlOp.Unpersist op) throws ResourceException {
                writePersisted(desired.key(), null, host);
            }
        });
    }

    /** Sets ({@code value} non-null) or drops the key's line in the managed file. */
    private void writePersisted(SysctlKey key, String value, Host host) throws ResourceException {
        try {
            managed(host).put(key.name(), value);
            effective = null;
        } catch (IOException e) {
            throw new ResourceException("cannot write " + host.path(ManagedSysctlFile.PATH) + ": " + IoErrors.describe(e), e);
        }
    }

    private static void writeRuntime(SysctlKey key, String value, Host host) throws ResourceException {
        Path file = key.under(host.sysctlDir());
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write((value + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ResourceException("no such kernel parameter: " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new ResourceException("kernel parameter " + key.name() + " is read-only here (" + file + ")");
        } catch (IOException e) {
            String why = e.getMessage() != null && e.getMessage().contains("Invalid argument")
                    ? "the kernel rejected the value " + value + " (Invalid argument)" : e.getMessage();
            throw new ResourceException("cannot set " + key.name() + ": " + why, e);
        }
    }

    @Override
    public Optional<SysctlSetting> removal(String resourceId, Map<String, String> lastApplied) {
        String name = resourceId.substring("sysctl[".length(), resourceId.length() - 1);
        try {
            SysctlKey key = SysctlKey.fromName(name);
            return Optional.of(SysctlSetting.absent(key, Presence.absent(lastApplied)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private ManagedSysctlFile managed(Host host) {
        if (managed == null) managed = new ManagedSysctlFile(host.path(ManagedSysctlFile.PATH));
        return managed;
    }
}
