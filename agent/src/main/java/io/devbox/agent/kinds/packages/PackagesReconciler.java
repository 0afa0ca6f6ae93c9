package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Operation;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TrustedPaths;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian packages through dpkg and apt: {@code package[NAME]} per entry of {@code packages.apt}. A fresh instance
 * serves one run ({@link PackageRun}): probes share one {@code dpkg-query}, and the first apply installs and removes
 * every pending package of the run in one {@code apt-get} each; the engine's verifying probe then checks each package.
 * Packages the agent installed that leave the profiles stay installed unless {@code prune: true}.
 */
public final class PackagesReconciler implements Reconciler<PackageResource, PackageObserved> {
    private final Clock clock;
    private PackageSpecParser.Parsed parsed;
    private PackageRun run;

    public PackagesReconciler() {
        this(Clock.systemUTC());
    }

    PackagesReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String kind() {
        return PackagesKind.DESCRIPTOR.kind();
    }

    @Override
    public String specKey() {
        return PackagesKind.DESCRIPTOR.specKey();
    }

    @Override
    public List<PackageResource> desired(Node section, DesiredContext context) throws ProfileException {
        parsed = PackageSpecParser.parse(section);
        run = new PackageRun(parsed.resources(), parsed.updateCacheAfter(), parsed.lockTimeout(), clock);
        return parsed.resources();
    }

    @Override
    public Optional<String> unsupported(Host host) {
        if (!Apt.available()) return Optional.of("no dpkg-query on PATH: not a Debian or Ubuntu box");
        if (!Apt.hasDatabase(host)) {
            return Optional.of(host.sandboxed()
                    ? "the --root sandbox has no dpkg database (" + Apt.ADMIN_DIR + "/status under it): not a Debian root"
                    : "no dpkg database (" + Apt.ADMIN_DIR + "/status): not a Debian or Ubuntu box");
        }
        if (host.sandboxed()) {
            // dpkg --root unpacks as root and runs maintainer scripts chrooted there: a sandbox another user could change
            // would let them point dpkg's writes anywhere
            try {
                TrustedPaths.require(host.root(), "the --root sandbox that dpkg and apt install into");
            } catch (IOException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** A package is something the box has or has not: one the agent installs is added (+), one it upgrades changed (~). */
    @Override
    public boolean exists(PackageResource desired, PackageObserved observed, List<Change> changes) {
        return observed.state() != PackageObserved.State.ABSENT;
    }

    @Override
    public Optional<PackageResource> removal(String resourceId, Map<String, String> lastApplied) {
        if (parsed == null || !parsed.prune() || !resourceId.startsWith("package[") || !resourceId.endsWith("]")) return Optional.empty();
        String name = resourceId.substring("package[".length(), resourceId.length() - 1);
        if (!PackageNames.valid(name)) return Optional.empty();
        PackageResource gone = PackageResource.pruned(name, Presence.absent(lastApplied));
        run().add(gone);
        return Optional.of(gone);
    }

    @Override
    public PackageObserved probe(PackageResource desired, Host host) throws ResourceException {
        PackageObserved o = run().observe(desired, host);
        if (o.state() == PackageObserved.State.BROKEN) throw PackageRun.broken(desired, o);
        run().checkHeld(desired, o, host);
        return o;
    }

    @Override
    public List<Change> diff(PackageResource desired, PackageObserved observed) {
        return PackageDiff.diff(desired, observed);
    }

    @Override
    public void apply(PackageResource desired, Change change, Host host) throws ResourceException {
        Operation.of(change, PackageOp.class).applyWith(new PackageOp.Steps() {
            @Override
            public void install(PackageOp.Install op) throws ResourceException {
                if (desired.wantsAbsent()) throw new ResourceException("planned an install of " + desired.name() + ", which is wanted absent");
                run().apply(desired, host);
            }

            @Override
            public void remove(PackageOp.Remove op) throws ResourceException {
                if (!desired.wantsAbsent()) throw new ResourceException("planned a removal of " + desired.name() + ", which is wanted installed");
                run().apply(desired, host);
            }
        });
    }

    /** A run without a section of its own (a test driving resources directly): defaults. */
    private PackageRun run() {
        if (run == null) run = new PackageRun(List.of(), null, PackageSpecParser.DEFAULT_LOCK_TIMEOUT, clock);
        return run;
    }
}
