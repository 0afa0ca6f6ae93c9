package io.devbox.agent.kinds.systemd;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Kind {@code unit} (spec key {@code systemd}): unit files and drop-ins under /etc/systemd/system (persisted), their
 * enablement (persisted) and running state (runtime). One daemon-reload per batch of file writes, done lazily before
 * the next enable/start/restart and at the end of the run; a running unit is restarted only when its content or
 * drop-ins changed. One instance serves one run.
 *
 * <p>Over 300 lines because files, enablement and running state of a unit are converged in one order with one lazy
 * daemon-reload, which splitting would scatter.
 */
public final class UnitReconciler implements Reconciler<UnitResource, UnitObserved> {
    static final String PROPERTIES = "LoadState,ActiveState,SubState,UnitFileState,FragmentPath,DropInPaths,NeedDaemonReload";
    static final String CONTENT = "content";
    static final String DROPIN = "dropin:";
    static final String ENABLED = "enabled";
    static final String STATE = "state";
    static final String RESTART = "restart";

    private final UnitActions actions;

    public UnitReconciler() {
        this(Duration.ofMillis(400));
    }

    /** @param settle how long a freshly started unit must stay up before it counts as started */
    UnitReconciler(Duration settle) {
        this.actions = new UnitActions(settle);
    }

    @Override
    public String kind() {
        return UnitKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return UnitKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<UnitResource> desired(Node section, DesiredContext context) throws ProfileException {
        return new UnitSpecParser(context).parse(section);
    }

    // ---------------------------------------------------------------- probe (read-only)

    @Override
    public UnitObserved probe(UnitResource u, Host host) throws ResourceException {
        boolean systemd = liveSystemd(host);
        if (!systemd && !u.hasFiles()) throw new ResourceSkipped(noSystemdReason(host));
        try {
            Path unit = host.path(u.unitPath());
            String content = null;
            String link = null;
            if (Files.isSymbolicLink(unit)) link = Files.readSymbolicLink(unit).toString();
            else content = read(unit);
            TreeMap<String, String> dropins = new TreeMap<>();
            List<String> names = new ArrayList<>(u.dropins().keySet());
            names.addAll(u.removedDropins());
            for (String d : names) {
                String c = read(host.path(u.dropinPath(d)));
                if (c != null) dropins.put(d, c);
            }
            TreeMap<String, String> props = new TreeMap<>();
            if (systemd) {
                CommandResult r = UnitActions.systemctl(host, "show", "-p", PROPERTIES, "--", u.name());
                if (!r.ok()) throw new ResourceException("systemctl show " + u.name() + ": " + r.describe());
                for (String line : r.stdout().split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) props.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            boolean pending = Files.exists(restartMarker(host, u.name()));
            return new UnitObserved(systemd, content, link, dropins, props, pending);
        } catch (IOException e) {
            throw new ResourceException("cannot read unit " + u.name() + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * The unit exists when its file is there (or masked), or systemd knows it (a unit shipped by a package in
     * /lib/systemd/system): a first drop-in for docker.service is a change (~), not an add (+).
     */
    @Override
    public boolean exists(UnitResource u, UnitObserved o, List<Change> changes) {
        if (o.unitFile() != null || o.unitFileLink() != null) return true;
        String load = o.property("LoadState");
        return o.systemd() && !load.isEmpty() && !load.equals("not-found");
    }

    // ---------------------------------------------------------------- diff (pure)

    @Override
    public List<Change> diff(UnitResource u, UnitObserved o) {
        return u.isRemoval() ? removalDiff(u, o) : desiredDiff(u, o);
    }

    private List<Change> desiredDiff(UnitResource u, UnitObserved o) {
        String id = u.id();
        List<Change> changes = new ArrayList<>();
        boolean configChanged = false;
        if (u.content() != null && (o.unitFileLink() != null || !u.content().equals(o.unitFile()))) {
            changes.add(Change.of(id, u.origin(), new UnitOp.WriteUnitFile(o.unitFile(), o.unitFileLink(), u.content())));
            configChanged = true;
        }
        for (var d : u.dropins().entrySet()) {
            String have = o.dropins().get(d.getKey());
            if (!d.getValue().equals(have)) {
                changes.add(Change.of(id, u.origin(), new UnitOp.WriteDropin(d.getKey(), have, d.getValue())));
                configChanged = true;
            }
        }
        if (!o.systemd()) return changes;
        if (u.enabled() != null && !enablementHolds(u.enabled(), o.unitFileState())) {
            changes.add(Change.of(id, u.origin(), new UnitOp.SetEnablement(o.unitFileState(), u.enabled())));
        }
        if (u.state() != null && (u.state() == UnitResource.RunState.STARTED) != o.active()) {
            changes.add(Change.of(id, u.origin(), new UnitOp.SetRunState(o.activeState(), u.state(), false)));
        }
        boolean keepsRunning = o.active() && u.state() != UnitResource.RunState.STOPPED;
        if (u.restartOnChange() && keepsRunning && (configChanged || o.restartPending())) {
            changes.add(Change.of(id, u.origin(), new UnitOp.Restart(o.activeState())));
        }
        return changes;
    }

    private List<Change> removalDiff(UnitResource u, UnitObserved o) {
        String id = u.id();
        List<Change> changes = new ArrayList<>();
        if (u.removesUnitFile() && o.systemd()) {
            if (o.active()) changes.add(Change.of(id, u.origin(), new UnitOp.SetRunState(o.activeState(), UnitResource.RunState.STOPPED, true)));
            String ufs = o.unitFileState();
            if (ufs.startsWith("enabled") || ufs.equals("linked")) {
                changes.add(Change.of(id, u.origin(), new UnitOp.SetEnablement(ufs, UnitResource.Enablement.DISABLED)));
            }
        }
        if (u.removesUnitFile() && (o.unitFile() != null)) {
            changes.add(Change.of(id, u.origin(), new UnitOp.DeleteUnitFile(o.unitFile())));
        }
        for (String d : u.removedDropins()) {
            if (o.dropins().get(d) != null) {
                changes.add(Change.of(id, u.origin(), new UnitOp.DeleteDropin(d, o.dropins().get(d))));
            }
        }
        return changes;
    }

    static boolean enablementHolds(UnitResource.Enablement want, String unitFileState) {
        return switch (want) {
            case ENABLED -> unitFileState.equals("enabled") || unitFileState.equals("alias");
            case MASKED -> unitFileState.equals("masked");
            case DISABLED -> !(unitFileState.startsWith("enabled") || unitFileState.startsWith("masked")
                    || unitFileState.startsWith("linked"));
        };
    }

    @Override
    public List<String> warnings(UnitResource u, Host host) {
        if (liveSystemd(host) || !u.hasFiles()) return List.of();
        if (u.enabled() == null && u.state() == null) return List.of();
        return List.of(noSystemdReason(host) + ": the unit's files converge (persisted layer), its enablement and state are skipped");
    }

    // ---------------------------------------------------------------- apply (idempotent)

    @Override
    public void apply(UnitResource u, Change c, Host host) throws ResourceException {
        actions.apply(u, c, Operation.of(c, UnitOp.class), host);
    }

    @Override
    public Optional<UnitResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (!resourceId.startsWith("unit[") || !resourceId.endsWith("]")) return Optional.empty();
        String name = resourceId.substring("unit[".length(), resourceId.length() - 1);
        if (UnitNames.unitProblem(name).isPresent()) return Optional.empty();
        UnitResource gone = new UnitResource(name, Origin.ofFile("(no longer in any profile)"), null, Map.of(), null, null,
                false, List.of(), Presence.absent(lastApplied));
        if (!gone.removesUnitFile() && gone.removedDropins().isEmpty()) return Optional.empty(); // never applied files: not ours to remove
        return Optional.of(gone);
    }

    @Override
    public void finish(Host host) throws ResourceException {
        actions.reloadIfOwed(host);
    }

    // ---------------------------------------------------------------- for kinds that own a unit (the runner)

    /**
     * Stops {@code unit} when this box's live systemd runs it (a kind that must swap the files a service runs from);
     * returns whether it was running. Without a live systemd, or when it is not active, does nothing.
     */
    public boolean stopIfActive(String unit, Host host) throws ResourceException {
        return actions.stopIfActive(unit, host);
    }

    /** Starts {@code unit} again after {@link #stopIfActive} and verifies it stays up, as {@code state: started} does. */
    public void startAgain(String unit, Host host) throws ResourceException {
        actions.startAgain(unit, host);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * systemctl acts on the systemd that runs this box; under a sandbox {@code --root} it would act on the wrong one,
     * so there only the files converge.
     */
    static boolean liveSystemd(Host host) {
        return host.facts().systemd() && !host.sandboxed();
    }

    private static String noSystemdReason(Host host) {
        if (host.sandboxed() && host.facts().systemd()) {
            return "--root " + host.root() + " is a sandbox, and systemctl would act on this machine's systemd";
        }
        return "systemd is not PID 1 here (no " + host.path("/run/systemd/system") + ")";
    }

    static Path restartMarker(Host host, String unit) {
        return host.stateDir().resolve("unit").resolve("restart-pending").resolve(unit);
    }

    /** How plans show a file: its line count and a short content hash (comparable, never the whole text). */
    static String summary(String content) {
        if (content == null) return null;
        long lines = content.lines().count();
        return lines + (lines == 1 ? " line" : " lines") + ", sha256 " + sha256(content).substring(0, 12);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p) throws IOException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8); // root-only: /etc/systemd/system (SECURITY.md)
        } catch (NoSuchFileException e) {
            return null;
        }
    }


}
