package io.devbox.agent.kinds.packages;

import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.profile.Durations;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the composed {@code packages} section into resources. The schema has checked its shape, the package names and
 * the spelling of states, versions and durations; what is left is what it cannot state, every error located.
 */
final class PackageSpecParser {
    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_LOCK_TIMEOUT = Duration.ofMinutes(30);

    /**
     * @param updateCacheAfter run {@code apt-get update} before installing when the lists are older; null: only when a
     *                         wanted package or version is unknown
     * @param lockTimeout      how long apt waits for another apt or dpkg to finish
     * @param prune            remove packages the agent installed that no profile lists any more
     */
    record Parsed(List<PackageResource> resources, Duration updateCacheAfter, Duration lockTimeout, boolean prune) {
    }

    private PackageSpecParser() {
    }

    static Parsed parse(Node section) throws ProfileException {
        SpecReader r = new SpecReader();
        Node.Mapping m = (Node.Mapping) section;
        Node.Mapping apt = (Node.Mapping) m.get("apt");
        List<PackageResource> resources = new ArrayList<>();
        apt.entries().forEach((name, node) -> {
            String v = r.string(node, "packages.apt." + name);
            if (v == null) return;
            switch (v) {
                case "present", "installed" -> resources.add(PackageResource.installed(name, new PackageResource.Present(), node.origin()));
                case "latest" -> resources.add(PackageResource.installed(name, new PackageResource.Latest(), node.origin()));
                case "absent", "removed" -> resources.add(PackageResource.absent(name, node.origin()));
                default -> {
                    // a number in YAML (jq: 1.6) reaches here as its text; the schema checked only strings' spelling
                    if (DebianVersion.valid(v)) resources.add(PackageResource.installed(name, new PackageResource.Version(v), node.origin()));
                    else r.error(node.origin(), "packages.apt." + name + ": '" + v + "' is not a Debian version (like 1.6-2.1)");
                }
            }
        });
        Duration updateAfter = m.get("updateCacheAfter") == null ? null : Durations.parse(r.string(m.get("updateCacheAfter"), "packages.updateCacheAfter"));
        Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        Node lock = m.get("lockTimeout");
        if (lock != null) {
            lockTimeout = Durations.parse(r.string(lock, "packages.lockTimeout"));
            if (lockTimeout.compareTo(MAX_LOCK_TIMEOUT) > 0) {
                r.error(lock.origin(), "packages.lockTimeout is at most 30m (a run holds the box lock while it waits)");
            }
        }
        boolean prune = m.get("prune") != null && r.bool(m.get("prune"), "packages.prune", false);
        r.throwIfAny();
        return new Parsed(resources, updateAfter, lockTimeout, prune);
    }
}
