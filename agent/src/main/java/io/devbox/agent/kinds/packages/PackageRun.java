package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Durations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The packages of one run and what the run did to them. Reading: one {@code dpkg-query} for every package of the run
 * (and one {@code apt-cache policy} for those that want {@code latest}), kept until something is applied. Changing: the
 * first apply of the run installs every pending package in one {@code apt-get install} and removes every package
 * wanted absent in one {@code apt-get remove}, each after a simulation showed apt would remove nothing else; then each
 * resource checks itself and, when the batch did not get it there, runs apt for itself alone, so that apt's words for
 * a failure land on the package they are about.
 */
final class PackageRun {
    private final Map<String, PackageResource> resources = new LinkedHashMap<>();
    private final Duration updateCacheAfter;
    private final Duration lockTimeout;
    private final Clock clock;
    private DpkgStatus status;
    private AptPolicy latest;
    private boolean batchDone;
    private boolean updated;
    private String updateProblem;
    /** Set when apt gave up waiting for another package manager: the run waits once, not once per package. */
    private ResourceException lockBusy;

    PackageRun(List<PackageResource> resources, Duration updateCacheAfter, Duration lockTimeout, Clock clock) {
        resources.forEach(this::add);
        this.updateCacheAfter = updateCacheAfter;
        this.lockTimeout = lockTimeout;
        this.clock = clock;
    }

    /** Adds a resource (a pruned package, or one a test probes directly) to the run. */
    void add(PackageResource d) {
        PackageResource old = resources.put(d.name(), d);
        if (old == null) forget();
    }

    /** What dpkg says of {@code d} now (read-only). */
    PackageObserved observe(PackageResource d, Host host) throws ResourceException {
        add(d);
        Apt apt = new Apt(host, lockTimeout);
        if (status == null) status = apt.query(List.copyOf(resources.keySet()));
        PackageObserved o = status.of(d.name());
        if (d.wanted() instanceof PackageResource.Latest) {
            if (latest == null) {
                latest = apt.policy(resources.values().stream().filter(r -> r.wanted() instanceof PackageResource.Latest)
                        .map(PackageResource::name).toList());
            }
            o = o.withCandidate(latest.of(d.name()).map(AptPolicy.Offer::candidate).orElse(null));
        }
        return o;
    }

    /** Makes {@code d} true on the box: the run's batch first, then apt for {@code d} alone if it is still pending. */
    void apply(PackageResource d, Host host) throws ResourceException {
        Apt apt = new Apt(host, lockTimeout);
        forget();
        if (!batchDone) {
            batchDone = true;
            batch(apt, host);
            forget();
        }
        PackageObserved o = observe(d, host);
        if (!PackageDiff.needsChange(d, o)) return;
        try {
            single(apt, host, d, o);
        } finally {
            forget();
        }
    }

    private void forget() {
        status = null;
        latest = null;
    }

    private void batch(Apt apt, Host host) throws ResourceException {
        DpkgStatus now = apt.query(List.copyOf(resources.keySet()));
        List<PackageResource> installs = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        AptPolicy offers = null;
        for (PackageResource d : resources.values()) {
            PackageObserved o = now.of(d.name());
            if (o.held() || o.state() == PackageObserved.State.BROKEN) continue;
            if (d.wantsAbsent()) {
                if (PackageDiff.needsChange(d, o)) removes.add(d.name());
            } else if (d.wanted() instanceof PackageResource.Latest) {
                installs.add(d);
            } else if (PackageDiff.needsChange(d, o)) {
                installs.add(d);
            }
        }
        if (installs.stream().anyMatch(d -> d.wanted() instanceof PackageResource.Latest)) {
            offers = apt.policy(installs.stream().map(PackageResource::name).toList());
            AptPolicy known = offers;
            installs.removeIf(d -> d.wanted() instanceof PackageResource.Latest
                    && !PackageDiff.needsChange(d, now.of(d.name()).withCandidate(known.of(d.name()).map(AptPolicy.Offer::candidate).orElse(null))));
        }
        if (!installs.isEmpty()) {
            updateIfOld(apt, host);
            List<String> names = installs.stream().map(PackageResource::name).toList();
            offers = apt.policy(names);
            AptPolicy before = offers;
            if (!updated && installs.stream().anyMatch(d -> !before.knows(d.name(), d.wanted()))) {
                update(apt, host);
                offers = apt.policy(names);
            }
            AptPolicy known = offers;
            List<PackageResource> installable = installs.stream().filter(d -> known.knows(d.name(), d.wanted())).toList();
            if (!installable.isEmpty()) {
                List<String> targets = installable.stream().map(PackageDiff::installTarget).toList();
                boolean downgrades = installable.stream().anyMatch(d -> PackageDiff.downgrade(d, now.of(d.name())));
                CommandResult sim = apt.install(targets, downgrades, true);
                if (sim.ok() && removesOnlyWanted(AptOutput.removals(sim.stdout()), Set.of())) {
                    noteLock(apt.install(targets, downgrades, false));
                }
            }
        }
        if (!removes.isEmpty() && lockBusy == null) {
            CommandResult sim = apt.remove(removes, true);
            if (sim.ok() && removesOnlyWanted(AptOutput.removals(sim.stdout()), Set.copyOf(removes))) noteLock(apt.remove(removes, false));
        }
    }

    /** Whether every package apt would remove is one the profiles want absent anyway. */
    private boolean removesOnlyWanted(Set<String> removed, Set<String> asked) {
        return unwantedRemovals(removed, asked).isEmpty();
    }

    private Set<String> unwantedRemovals(Set<String> removed, Set<String> asked) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : removed) {
            PackageResource d = resources.get(n);
            String base = n.indexOf(':') >= 0 ? n.substring(0, n.indexOf(':')) : n;
            PackageResource b = resources.get(base);
            boolean wantedAbsent = d != null && d.wantsAbsent() || b != null && b.wantsAbsent();
            if (!asked.contains(n) && !asked.contains(base) && !wantedAbsent) out.add(n);
        }
        return out;
    }

    private void noteLock(CommandResult r) {
        if (!r.ok() && AptOutput.lockBusy(r)) lockBusy = failure(r, null);
    }

    private void single(Apt apt, Host host, PackageResource d, PackageObserved o) throws ResourceException {
        if (lockBusy != null) throw lockBusy;
        if (o.state() == PackageObserved.State.BROKEN) throw broken(d, o);
        if (d.wantsAbsent()) {
            CommandResult sim = apt.remove(List.of(d.name()), true);
            if (!sim.ok()) throw failure(sim, null);
            Set<String> also = unwantedRemovals(AptOutput.removals(sim.stdout()), Set.of(d.name()));
            if (!also.isEmpty()) {
                throw new ResourceException("removing " + d.name() + " would also remove " + String.join(", ", also)
                        + " (they depend on it); not removing it: list them as absent too, or keep " + d.name());
            }
            CommandResult r = apt.remove(List.of(d.name()), false);
            noteLock(r);
            if (!r.ok()) throw failure(r, null);
            return;
        }
        updateIfOld(apt, host);
        if (!updated && !apt.policy(List.of(d.name())).knows(d.name(), d.wanted())) update(apt, host);
        String target = PackageDiff.installTarget(d);
        boolean downgrade = PackageDiff.downgrade(d, o);
        CommandResult sim = apt.install(List.of(target), downgrade, true);
        if (!sim.ok()) throw failure(sim, updateProblem);
        Set<String> also = unwantedRemovals(AptOutput.removals(sim.stdout()), Set.of());
        if (!also.isEmpty()) {
            throw new ResourceException("installing " + target + " would remove " + String.join(", ", also)
                    + " (apt resolves a conflict that way); not installing it: list them as absent, or drop " + d.name());
        }
        CommandResult r = apt.install(List.of(target), downgrade, false);
        noteLock(r);
        if (!r.ok()) throw failure(r, updateProblem);
    }

    /** A held package the wanted state would change: apt's own refusal, from a simulation, when it refuses. */
    void checkHeld(PackageResource d, PackageObserved o, Host host) throws ResourceException {
        if (!o.held() || !PackageDiff.needsChange(d, o)) return;
        Apt apt = new Apt(host, lockTimeout);
        CommandResult sim = d.wantsAbsent()
                ? apt.remove(List.of(d.name()), true)
                : apt.install(List.of(PackageDiff.installTarget(d)), PackageDiff.downgrade(d, o), true);
        if (!sim.ok()) {
            throw new ResourceException(d.name() + " is held (apt-mark hold; apt-mark unhold " + d.name() + " lets the agent "
                    + "change it): " + AptOutput.errors(sim));
        }
    }

    static ResourceException broken(PackageResource d, PackageObserved o) {
        return new ResourceException(d.name() + " is in a broken state (dpkg: " + o.status() + "): an earlier install or removal "
                + "did not finish (or one is running now); finish it with dpkg --configure -a or apt-get -f install");
    }

    private ResourceException failure(CommandResult r, String updateNote) {
        if (AptOutput.lockBusy(r)) {
            return new ResourceException("another package manager is running: waited " + Durations.format(lockTimeout) + " for "
                    + AptOutput.lockFile(r) + AptOutput.lockHolder(r).map(h -> ", held by " + h).orElse("") + " ("
                    + AptOutput.errors(r) + ")");
        }
        return new ResourceException(AptOutput.errors(r) + (updateNote != null ? " (apt-get update failed: " + updateNote + ")" : ""));
    }

    private void updateIfOld(Apt apt, Host host) throws ResourceException {
        if (updated || updateCacheAfter == null) return;
        Instant at = apt.listsUpdatedAt(record(host));
        if (at == null || at.plus(updateCacheAfter).isBefore(clock.instant())) update(apt, host);
    }

    private void update(Apt apt, Host host) throws ResourceException {
        updated = true;
        CommandResult r = apt.update();
        if (!r.ok()) {
            updateProblem = AptOutput.errors(r);
            return;
        }
        try {
            Path rec = record(host);
            Files.createDirectories(rec.getParent());
            AtomicFiles.write(rec, (clock.instant() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // only the age check of a later run suffers: it may update again
        }
    }

    private static Path record(Host host) {
        return host.stateDir().resolve("packages").resolve("lists-updated");
    }
}
