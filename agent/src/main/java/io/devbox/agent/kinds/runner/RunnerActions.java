package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.systemd.UnitReconciler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The apply side of {@code runner[NAME]}: converges the package and the registration, or prunes them, from the
 * operations of all the resource's changes at once, stopping the runner's service once around the work.
 */
final class RunnerActions {
    private final RunnerInstaller installer;
    private final RunnerConfig config;
    private final UnitReconciler units;

    RunnerActions(RunnerInstaller installer, RunnerConfig config, UnitReconciler units) {
        this.installer = installer;
        this.config = config;
        this.units = units;
    }

    /**
     * Brings the install directory and the registration to the spec in one go, doing what {@code planned} asks and
     * the box, inspected again now ({@code st}, whose differences are {@code pending}), still lacks: an upgrade for
     * {@link RunnerOp.Install}, a registration for {@link RunnerOp.Register}.
     */
    void converge(RunnerSpec s, List<RunnerOp> planned, RunnerObserved.InstallState st, List<Change> pending, Host host)
            throws ResourceException {
        boolean upgrade = asks(planned, RunnerOp.Install.class) && pending.stream().anyMatch(c -> c.op() instanceof RunnerOp.Install);
        boolean reregister = asks(planned, RunnerOp.Register.class) && pending.stream().anyMatch(c -> c.op() instanceof RunnerOp.Register);
        if (!upgrade && !reregister) return;
        if (st.job() != null && !s.force()) {
            throw new ResourceException("deferred: a job started since the plan (" + st.job() + "); apply again after it ends, or set runner.force: true");
        }
        // the service runs from this directory: stop it while its files or its registration are replaced
        String runningUnit = st.registered() && st.url() != null && st.name() != null ? RunnerLayout.unitName(st.url(), st.name()) : s.unitName();
        boolean stopped = units.stopIfActive(runningUnit, host);
        ResourceException failure = null;
        try {
            Optional<RunnerRecord> old = RunnerRecord.read(host, s.name());
            RunnerRecord.Registration kept = old.map(RunnerRecord::registration).orElse(null);
            // written before anything changes on the box, so that a removal later knows what to remove
            RunnerRecord.of(s, kept).write(host);
            if (upgrade) installer.install(s, host);
            if (reregister) {
                Path dir = host.path(s.installDir());
                if (exists(host, dir.resolve(".runner"))) {
                    config.unregister(host, dir, s.runAs(), new RunnerConfig.TokenSource(s.tokenFile(), s.tokenEnv()),
                            st.url() != null ? st.url() : s.url());
                }
                config.register(s, host);
                RunnerRecord.of(s, new RunnerRecord.Registration(s.url(), RunnerReconciler.labelsOf(s.labels()), s.ephemeral(), s.group())).write(host);
                forgetRenamed(s, host);
            }
        } catch (ResourceException e) {
            failure = e;
        } catch (IOException e) {
            failure = new ResourceException("cannot write the agent's record of runner " + s.name() + ": " + e.getMessage(), e);
        }
        // the same unit runs again, also after a failure (the old package or registration is still in place); a renamed
        // runner's new unit is started by its own resource
        if (stopped && runningUnit.equals(s.unitName())) {
            try {
                units.startAgain(runningUnit, host);
            } catch (ResourceException e) {
                if (failure == null) throw e;
                failure = new ResourceException(failure.getMessage() + "; starting " + runningUnit + " again failed too: " + e.getMessage());
            }
        }
        if (failure != null) throw failure;
    }

    private static boolean asks(List<RunnerOp> planned, Class<? extends RunnerOp> type) {
        return planned.stream().anyMatch(type::isInstance);
    }

    /** Records of other names for the same directory belong to this runner's former name: it replaced them. */
    private static void forgetRenamed(RunnerSpec s, Host host) throws IOException {
        for (String n : RunnerRecord.names(host)) {
            if (n.equals(s.name())) continue;
            Optional<RunnerRecord> r = RunnerRecord.read(host, n);
            if (r.isPresent() && s.installDir().equals(r.get().installDir())) RunnerRecord.delete(host, n);
        }
    }

    /**
     * Stops the service, unregisters (config.sh remove), deletes the install directory, forgets the record: what
     * {@code planned} asks, for the directory it names (a record that moved since the plan is refused).
     */
    void remove(RunnerResource.Runner r, List<RunnerOp> planned, Host host) throws ResourceException {
        if (planned.isEmpty()) return;
        Optional<RunnerRecord> rec;
        try {
            rec = RunnerRecord.read(host, r.name());
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        if (rec.isEmpty() || rec.get().installDir() == null || rec.get().installDir().equals(r.successorInstallDir())) return;
        RunnerRecord record = rec.get();
        for (RunnerOp op : planned) {
            if (op instanceof RunnerOp.DeleteInstall d && !d.installDir().equals(record.installDir())) {
                throw new ResourceException("the agent's record of runner " + r.name() + " names " + record.installDir()
                        + " now, not " + d.installDir() + " as planned; plan again");
            }
        }
        Path dir = host.path(record.installDir());
        if (record.unit() != null) units.stopIfActive(record.unit(), host);
        boolean ours = RunnerInstaller.hasMarker(host, dir);
        // a registered directory is never deleted without config.sh remove first (no ghost runner left on GitHub)
        if (ours && RunnerReconciler.isFile(host, dir.resolve(".runner"))) {
            RunnerFiles.Registration reg = RunnerFiles.registration(host, dir);
            String url = reg != null && reg.gitHubUrl() != null ? reg.gitHubUrl()
                    : record.registration() != null ? record.registration().url() : null;
            config.unregister(host, dir, record.runAs(), new RunnerConfig.TokenSource(record.tokenFile(), record.tokenEnv()), url);
        }
        if (ours) RunnerInstaller.delete(host, record.installDir());
        try {
            RunnerRecord.delete(host, r.name());
        } catch (IOException e) {
            throw new ResourceException("cannot delete the agent's record of runner " + r.name() + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Host host, Path p) throws ResourceException {
        try {
            return host.fs().stat(p).isPresent();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }
}
