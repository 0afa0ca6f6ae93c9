package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IoErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The apply side of the unit kind: makes each {@link UnitOp} true with files and systemctl, owes one daemon-reload per
 * batch of file writes (done lazily before the next enable/start/restart and at the end of the run), and starts
 * units with a check that they stay up. One instance serves one run of one {@link UnitReconciler}.
 */
final class UnitActions {
    private static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> ENV = Map.of("SYSTEMD_PAGER", "cat", "SYSTEMD_COLORS", "0", "LC_ALL", "C");

    private boolean reloadOwed;
    private final Duration settle;

    /** @param settle how long a freshly started unit must stay up before it counts as started */
    UnitActions(Duration settle) {
        this.settle = settle;
    }

    void apply(UnitResource u, Change c, UnitOp op, Host host) throws ResourceException {
        try {
            op.applyWith(new Steps(u, host));
        } catch (IOException e) {
            throw new ResourceException(u.id() + " " + c.field() + ": " + IoErrors.describe(e), e);
        }
    }

    /** How each {@link UnitOp} is made true for unit {@code u}. */
    private final class Steps implements UnitOp.Steps {
        private final UnitResource u;
        private final Host host;

        Steps(UnitResource u, Host host) {
            this.u = u;
            this.host = host;
        }

        @Override
        public void writeUnitFile(UnitOp.WriteUnitFile op) throws IOException {
            writeOrDelete(host, u.unitPath(), op.text(), u);
        }

        @Override
        public void deleteUnitFile(UnitOp.DeleteUnitFile op) throws IOException {
            writeOrDelete(host, u.unitPath(), null, u);
        }

        @Override
        public void writeDropin(UnitOp.WriteDropin op) throws IOException {
            writeOrDelete(host, u.dropinPath(op.name()), op.text(), u);
        }

        @Override
        public void deleteDropin(UnitOp.DeleteDropin op) throws IOException {
            writeOrDelete(host, u.dropinPath(op.name()), null, u);
        }

        @Override
        public void enablement(UnitOp.SetEnablement op) throws ResourceException {
            reloadIfOwed(host);
            switch (op.want()) {
                case ENABLED -> {
                    if (op.masked()) check(host, u, systemctl(host, "unmask", "--", u.name()));
                    check(host, u, systemctl(host, "enable", "--", u.name()));
                }
                case DISABLED -> {
                    if (op.masked()) check(host, u, systemctl(host, "unmask", "--", u.name()));
                    else check(host, u, systemctl(host, "disable", "--", u.name()));
                }
                case MASKED -> check(host, u, systemctl(host, "mask", "--", u.name()));
            }
        }

        @Override
        public void runState(UnitOp.SetRunState op) throws ResourceException, IOException {
            reloadIfOwed(host);
            if (op.want() == UnitResource.RunState.STARTED) {
                startAndVerify(host, u, "start");
            } else {
                check(host, u, systemctl(host, "stop", "--", u.name()));
                Files.deleteIfExists(UnitReconciler.restartMarker(host, u.name()));
            }
        }

        @Override
        public void restart(UnitOp.Restart op) throws ResourceException, IOException {
            reloadIfOwed(host);
            startAndVerify(host, u, "restart");
        }
    }

    /**
     * Stops {@code unit} when this box's live systemd runs it (a kind that must swap the files a service runs from);
     * returns whether it was running. Without a live systemd, or when it is not active, does nothing.
     */
    boolean stopIfActive(String unit, Host host) throws ResourceException {
        if (!UnitReconciler.liveSystemd(host) || UnitNames.unitProblem(unit).isPresent()) return false;
        UnitResource u = new UnitResource(unit, null, null, Map.of(), null, UnitResource.RunState.STOPPED, false, List.of());
        String active = showProperty(host, u, "ActiveState");
        if (!(active.equals("active") || active.equals("activating") || active.equals("reloading"))) return false;
        check(host, u, systemctl(host, "stop", "--", unit));
        return true;
    }

    /** Starts {@code unit} again after {@link #stopIfActive} and verifies it stays up, as {@code state: started} does. */
    void startAgain(String unit, Host host) throws ResourceException {
        if (!UnitReconciler.liveSystemd(host) || UnitNames.unitProblem(unit).isPresent()) return;
        UnitResource u = new UnitResource(unit, null, null, Map.of(), null, UnitResource.RunState.STARTED, false, List.of());
        try {
            reloadIfOwed(host);
            startAndVerify(host, u, "start");
        } catch (IOException e) {
            throw new ResourceException(unit + " start: " + e.getMessage(), e);
        }
    }

    private void writeOrDelete(Host host, String boxPath, String content, UnitResource u) throws IOException {
        Path p = host.path(boxPath);
        boolean changed;
        if (content != null) {
            changed = AtomicFiles.writeIfChanged(p, content.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            if (changed && u.restartOnChange()) {
                // root-only: a marker in the agent's state directory
                AtomicFiles.write(UnitReconciler.restartMarker(host, u.name()), (u.id() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } else {
            changed = AtomicFiles.delete(p);
            // a unit leaving the profiles takes its "restart pending" record with it: nothing is left to restart for
            if (u.presence().isAbsent()) Files.deleteIfExists(UnitReconciler.restartMarker(host, u.name()));
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

    void reloadIfOwed(Host host) throws ResourceException {
        if (!reloadOwed || !UnitReconciler.liveSystemd(host)) return;
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
        Files.deleteIfExists(UnitReconciler.restartMarker(host, u.name()));
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

    static CommandResult systemctl(Host host, String... args) throws ResourceException {
        List<String> argv = new ArrayList<>();
        argv.add("systemctl");
        argv.addAll(List.of(args));
        try {
            return host.commands().run(argv, ENV, null, SYSTEMCTL_TIMEOUT);
        } catch (IOException e) {
            throw new ResourceException("cannot run systemctl: " + e.getMessage(), e);
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
