package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

/**
 * {@code package[jq]}: one Debian package and the state a profile wants for it. A package wanted {@code absent} (by a
 * profile, or by a prune of one the agent installed) has the {@link Presence.Absent absent} presence and no
 * {@link Wanted}.
 *
 * @param name   a package name as apt takes it, optionally with {@code :arch}
 * @param wanted what an installed package must be; null when the package is wanted absent
 * @param origin null for the pruned form of a package no profile lists any more
 */
public record PackageResource(String name, Wanted wanted, Origin origin, Presence presence) implements DesiredResource {

    public PackageResource {
        if (presence.isAbsent() != (wanted == null)) throw new IllegalArgumentException("an absent package wants no version, a present one does");
    }

    /** A package a profile wants installed. */
    public static PackageResource installed(String name, Wanted wanted, Origin origin) {
        return new PackageResource(name, wanted, origin, Presence.PRESENT);
    }

    /** A package a profile lists as {@code absent}. */
    public static PackageResource absent(String name, Origin origin) {
        return new PackageResource(name, null, origin, Presence.absent(java.util.Map.of()));
    }

    /** Whether the package must not be installed. */
    public boolean wantsAbsent() {
        return presence.isAbsent();
    }

    /** What a profile says for an installed package: {@code present}, {@code latest} or a version. */
    public sealed interface Wanted {
        /** How the plan shows the wanted state (the change's {@code to}). */
        String shown();
    }

    /** Installed, any version. */
    public record Present() implements Wanted {
        @Override
        public String shown() {
            return "present";
        }
    }

    /** Installed at apt's candidate version (upgraded when the lists offer a newer one). */
    public record Latest() implements Wanted {
        @Override
        public String shown() {
            return "latest";
        }
    }

    /** Installed at exactly this version (a downgrade when the box has a newer one). */
    public record Version(String version) implements Wanted {
        @Override
        public String shown() {
            return version;
        }
    }

    @Override
    public String id() {
        return "package[" + name + "]";
    }
}
