package io.devbox.agent.kinds.systemd;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.engine.ResourceSkipped;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
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
 */
public final class UnitReconciler implements Reconciler<UnitResource, UnitObserved> {
    static final String PROPERTIES = "LoadState,ActiveState,SubState,UnitFileState,FragmentPath,DropInPaths,NeedDaemonReload";
    static final String CONTENT = "content";
    static final String DROPIN = "dropin:";
    static final String ENABLED = "enabled";
    static final String STATE = "state";
    static final String RESTART = "restart";
    private static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> ENV = Map.of("SYSTEMD_PAGER", "cat", "SYSTEMD_COLORS", "0", "LC_ALL", "C");

    private boolean reloadOwed;
    private final Duration settle;

    public UnitReconciler() {
        this(Duration.ofMillis(400));
    }

    /** @param settle how long a freshly started unit must stay up before it counts as started */
    UnitReconciler(Duration settle) {
        this.settle = settle;
    }

    @Override
    public String kind() {
        return "unit";
    }

    @Override
    public String specKey() {
        return "systemd";
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
            if (u.isRemoval()) names.addAll(u.removal().dropins());
            for (String d : names) {
                String c = read(host.path(u.dropinPath(d)));
                if (c != null) dropins.put(d, c);
            }
            TreeMap<String, String> props = new TreeMap<>();
            if (systemd) {
                CommandResult r = systemctl(host, "show", "-p", PROPERTIES, "--", u.name());
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
            changes.add(Change.of(id, CONTENT, Layer.PERSISTED, describeFile(o.unitFile(), o.unitFileLink()), summary(u.content()), u.origin())
                    .withContent(o.unitFile(), u.content()));
            configChanged = true;
        }
        for (var d : u.dropins().entrySet()) {
            String have = o.dropins().get(d.getKey());
            if (!d.getValue().equals(have)) {
                changes.add(Change.of(id, DROPIN + d.getKey(), Layer.PERSISTED, summary(have), summary(d.getValue()), u.origin())
                        .withContent(have, d.getValue()));
                configChanged = true;
            }
        }
        if (!o.systemd()) return changes;
        if (u.enabled() != null && !enablementHolds(u.enabled(), o.unitFileState())) {
            changes.add(Change.of(id, ENABLED, Layer.PERSISTED, o.unitFileState(), u.enabled().label(), u.origin()));
        }
        if (u.state() != null && (u.state() == UnitResource.RunState.STARTED) != o.active()) {
            changes.add(Change.of(id, STATE, Layer.RUNTIME, o.activeState(), u.state().activeState(), u.origin()));
        }
        boolean keepsRunning = o.active() && u.state() != UnitResource.RunState.STOPPED;
        if (u.restartOnChange() && keepsRunning && (configChanged || o.restartPending())) {
            // from and to are both the state it keeps: a restart is an action, not a new value (no false drift)
            changes.add(Change.of(id, RESTART, Layer.RUNTIME, o.activeState(), o.activeState(), u.origin()).asDisruptive());
        }
        return changes;
    }

    private List<Change> removalDiff(UnitResource u, UnitObserved o) {
        String id = u.id();
        List<Change> changes = new ArrayList<>();
        if (u.removal().unitFile() && o.systemd()) {
            if (o.active()) changes.add(Change.of(id, STATE, Layer.RUNTIME, o.activeState(), "inactive", u.origin()).asDisruptive());
            String ufs = o.unitFileState();
            if (ufs.startsWith("enabled") || ufs.equals("linked")) {
                changes.add(Change.of(id, ENABLED, Layer.PERSISTED, ufs, "disabled", u.origin()));
            }
        }
        if (u.removal().unitFile() && (o.unitFile() != null)) {
            changes.add(Change.of(id, CONTENT, Layer.PERSISTED, summary(o.unitFile()), null, u.origin()).withContent(o.unitFile(), null));
        }
        for (String d : u.removal().dropins()) {
            if (o.dropins().get(d) != null) {
                changes.add(Change.of(id, DROPIN + d, Layer.PERSISTED, summary(o.dropins().get(d)), null, u.origin())
                        .withContent(o.dropins().get(d), null));
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
        String f = c.field();
        try {
            if (f.equals(CONTENT)) {
                writeOrDelete(host, u.unitPath(), c.to() == null ? null : u.content(), u);
            } else if (f.startsWith(DROPIN)) {
                String name = f.substring(DROPIN.length());
                writeOrDelete(host, u.dropinPath(name), c.to() == null ? null : u.dropins().get(name), u);
            } else if (f.equals(ENABLED)) {
                reloadIfOwed(host);
                boolean masked = c.from() != null && c.from().startsWith("masked");
                switch (c.to()) {
                    case "enabled" -> {
                        if (masked) check(host, u, systemctl(host, "unmask", "--", u.name()));
                        check(host, u, systemctl(host, "enable", "--", u.name()));
                    }
                    case "disabled" -> {
                        if (masked) check(host, u, systemctl(host, "unmask", "--", u.name()));
                        else check(host, u, systemctl(host, "disable", "--", u.name()));
                    }
                    case "masked" -> check(host, u, systemctl(host, "mask", "--", u.name()));
                    default -> throw new ResourceException("unknown enablement " + c.to());
                }
            } else if (f.equals(STATE)) {
                reloadIfOwed(host);
                if ("active".equals(c.to())) {
                    startAndVerify(host, u, "start");
                } else {
                    check(host, u, systemctl(host, "stop", "--", u.name()));
                    Files.deleteIfExists(restartMarker(host, u.name()));
                }
            } else if (f.equals(RESTART)) {
                reloadIfOwed(host);
                startAndVerify(host, u, "restart");
            } else {
                throw new ResourceException("unknown field " + f);
            }
        } catch (IOException e) {
            throw new ResourceException(u.id() + " " + f + ": " + IoErrors.describe(e), e);
        }
    }

    @Override
    public Optional<UnitResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (!resourceId.startsWith("unit[") || !resourceId.endsWith("]")) return Optional.empty();
        String name = resourceId.substring("unit[".length(), resourceId.length() - 1);
        if (UnitNames.unitProblem(name).isPresent()) return Optional.empty();
        boolean unitFile = lastApplied.get(CONTENT + "@" + Layer.PERSISTED.label()) != null;
        List<String> dropins = new ArrayList<>();
        for (var e : lastApplied.entrySet()) {
            String k = e.getKey();
            String suffix = "@" + Layer.PERSISTED.label();
            if (k.startsWith(DROPIN) && k.endsWith(suffix) && e.getValue() != null) {
                String d = k.substring(DROPIN.length(), k.length() - suffix.length());
                if (UnitNames.dropinProblem(d).isEmpty()) dropins.add(d);
            }
        }
        if (!unitFile && dropins.isEmpty()) return Optional.empty(); // never applied files: not ours to remove
        return Optional.of(new UnitResource(name, Origin.ofFile("(no longer in any profile)"), null, Map.of(), null, null,
                false, List.of(), new UnitResource.Removal(unitFile, dropins)));
    }

    @Override
    public void finish(Host host) throws ResourceException {
        reloadIfOwed(host);
    }

    // ---------------------------------------------------------------- for kinds that own a unit (the runner)

    /**
     * Stops {@code unit} when this box's live systemd runs it (a kind that must swap the files a service runs from);
     * returns whether it was running. Without a live systemd, or when it is not active, does nothing.
     */
    public boolean stopIfActive(String unit, Host host) throws ResourceException {
        if (!liveSystemd(host) || UnitNames.unitProblem(unit).isPresent()) return false;
        UnitResource u = new UnitResource(unit, null, null, Map.of(), null, UnitResource.RunState.STOPPED, false, List.of(), null);
        String active = showProperty(host, u, "ActiveState");
        if (!(active.equals("active") || active.equals("activating") || active.equals("reloading"))) return false;
        check(host, u, systemctl(host, "stop", "--", unit));
        return true;
    }

    /** Starts {@code unit} again after {@link #stopIfActive} and verifies it stays up, as {@code state: started} does. */
    public void startAgain(String unit, Host host) throws ResourceException {
        if (!liveSystemd(host) || UnitNames.unitProblem(unit).isPresent()) return;
        UnitResource u = new UnitResource(unit, null, null, Map.of(), null, UnitResource.RunState.STARTED, false, List.of(), null);
        try {
            reloadIfOwed(host);
            startAndVerify(host, u, "start");
        } catch (IOException e) {
            throw new ResourceException(unit + " start: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void writeOrDelete(Host host, String boxPath, String content, UnitResource u) throws IOException {
        Path p = host.path(boxPath);
        boolean changed;
        if (content != null) {
            changed = AtomicFiles.writeIfChanged(p, content.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            if (changed && u.restartOnChange()) {
                // root-only: a marker in the agent's state directory
                AtomicFiles.write(restartMarker(host, u.name()), (u.id() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } else {
            changed = AtomicFiles.delete(p);
            if (boxPath.contains(".d/")) {
                try {
                    Files.deleteIfExists(p.getParent());
                } catch (DirectoryNotEmptyException e) {
                    // other drop-ins remain: not ours
                }
            }
        }
        if (changed) reloadOwed = true;
    }

    private void reloadIfOwed(Host host) throws ResourceException {
        if (!reloadOwed || !liveSystemd(host)) return;
        CommandResult r = systemctl(host, "daemon-reload");
        if (!r.ok()) throw new ResourceException("systemctl daemon-reload: " + r.describe());
        reloadOwed = false;
    }

    /** Starts or restarts, then watches the unit settle: a unit that fails carries its status and journal. */
    private void startAndVerify(Host host, UnitResource u, String verb) throws ResourceException, IOException {
        CommandResult r = systemctl(host, verb, "--", u.name());
        if (!r.ok()) throw failed(host, u, verb + " failed: " + r.describe());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long upSince = -1;
        String active = "";
        while (true) {
            active = showProperty(host, u, "ActiveState");
            if (active.equals("failed")) throw failed(host, u, "failed after " + verb);
            if (active.equals("inactive")) break; // a oneshot that finished, or a unit that stopped by itself: verify says
            if (active.equals("active")) {
                if (upSince < 0) upSince = System.nanoTime();
                if (System.nanoTime() - upSince >= settle.toNanos()) break;
            } else {
                upSince = -1;
            }
            if (System.nanoTime() > deadline) {
                throw failed(host, u, "is still " + active + " " + START_TIMEOUT.toSeconds() + " s after " + verb);
            }
            sleep(100);
        }
        Files.deleteIfExists(restartMarker(host, u.name()));
    }

    private static String showProperty(Host host, UnitResource u, String property) throws ResourceException {
        CommandResult s = systemctl(host, "show", "-p", property, "--", u.name());
        for (String line : s.stdout().split("\n")) {
            if (line.startsWith(property + "=")) return line.substring(property.length() + 1).strip();
        }
        return "";
    }

    private ResourceException failed(Host host, UnitResource u, String what) {
        StringBuilder b = new StringBuilder(u.name()).append(' ').append(what);
        try {
            CommandResult st = systemctl(host, "status", "--no-pager", "--lines=0", "--", u.name());
            String status = st.stdout().strip();
            if (!status.isEmpty()) b.append("\nstatus:\n").append(indent(status));
            CommandResult j = host.commands().run(List.of("journalctl", "--no-pager", "-q", "-n", "15", "-o", "short-iso",
                    "-u", u.name()), ENV, null, SYSTEMCTL_TIMEOUT);
            String journal = j.stdout().strip();
            b.append("\njournal (last lines):\n").append(journal.isEmpty() ? "  (empty)" : indent(journal));
        } catch (IOException | ResourceException e) {
            b.append(" (status unavailable: ").append(e.getMessage()).append(')');
        }
        return new ResourceException(b.toString());
    }

    private static void check(Host host, UnitResource u, CommandResult r) throws ResourceException {
        if (!r.ok()) throw new ResourceException(u.name() + ": " + r.describe());
    }

    private static CommandResult systemctl(Host host, String... args) throws ResourceException {
        List<String> argv = new ArrayList<>();
        argv.add("systemctl");
        argv.addAll(List.of(args));
        try {
            return host.commands().run(argv, ENV, null, SYSTEMCTL_TIMEOUT);
        } catch (IOException e) {
            throw new ResourceException("cannot run systemctl: " + e.getMessage(), e);
        }
    }

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

    private static String describeFile(String content, String link) {
        if (link != null) return "link to " + link;
        return summary(content);
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

    private static String indent(String s) {
        return "  " + s.replace("\n", "\n  ");
    }

    private static void sleep(long ms) throws ResourceException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceException("interrupted");
        }
    }
}
