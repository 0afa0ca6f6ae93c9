package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

/**
 * {@code package[jq]}: one Debian package and the state a profile wants for it. A profile's {@code absent} is a wanted
 * state of a declared resource ({@link NotInstalled}); the pruned form of a package the agent installed and no profile
 * lists any more has the {@link Presence.Absent absent} presence (the engine's notion) and wants it not installed too.
 *
 * @param name   a package name as apt takes it, optionally with {@code :arch}
 * @param wanted what the package must be
 * @param origin null for the pruned form
 */
public record PackageResource(String name, Wanted wanted, Origin origin, Presence presence) implements DesiredResource {

    public PackageResource {
        if (presence.isAbsent() && !(wanted instanceof NotInstalled)) throw new IllegalArgumentException("a pruned package is wanted not installed");
    }

    /** A package a profile wants installed. */
    public static PackageResource installed(String name, Wanted wanted, Origin origin) {
        return new PackageResource(name, wanted, origin, Presence.PRESENT);
    }

    /** A package a profile lists as {@code absent}. */
    public static PackageResource absent(String name, Origin origin) {
        return new PackageResource(name, new NotInstalled(), origin, Presence.PRESENT);
    }

    /** The pruned form of a package no profile lists any more, with what the agent last applied to it. */
    public static PackageResource pruned(String name, Presence.Absent gone) {
        return new PackageResource(name, new NotInstalled(), null, gone);
    }

    /** Whether the package must not be installed. */
    public boolean wantsAbsent() {
        return wanted instanceof NotInstalled;
    }

    /** What a profile says for a package: {@code present}, {@code latest}, a version or {@code absent}. */
    public sealed interface Wanted {
        /** How the plan shows the wanted state (the change's {@code to}); null for not installed. */
        String shown();
    }

    /** Not installed (removed, never purged; nothing autoremoved). */
    public record NotInstalled() implements Wanted {
        @Override
        public String shown() {
            return null;
        }
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
