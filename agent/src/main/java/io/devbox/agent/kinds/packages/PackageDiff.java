package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.Change;

import java.util.List;

/**
 * Pure: what differs between the wanted state of a package and what dpkg says: at most one {@link PackageOp}, from the
 * installed version (null: not installed) to the wanted one ({@code present}, a version, the candidate for
 * {@code latest}, null for absent).
 */
public final class PackageDiff {
    private PackageDiff() {
    }

    public static List<Change> diff(PackageResource d, PackageObserved o) {
        if (!needsChange(d, o)) return List.of();
        PackageOp op = d.wantsAbsent() ? new PackageOp.Remove(o.version() != null ? o.version() : o.status())
                : new PackageOp.Install(o.version(), target(d, o), downgrade(d, o));
        return List.of(Change.of(d.id(), d.origin(), op));
    }

    /** Whether apt must act for {@code d}. */
    static boolean needsChange(PackageResource d, PackageObserved o) {
        boolean installed = o.state() == PackageObserved.State.INSTALLED;
        if (d.wantsAbsent()) return o.state() != PackageObserved.State.ABSENT;
        if (d.wanted() instanceof PackageResource.Version v) return !installed || !v.version().equals(o.version());
        if (d.wanted() instanceof PackageResource.Latest) return !installed || o.candidate() != null && !o.candidate().equals(o.version());
        return !installed;
    }

    /** The change's {@code to}: the wanted version, or for {@code latest} the candidate when apt knows one. */
    static String target(PackageResource d, PackageObserved o) {
        if (d.wanted() instanceof PackageResource.Latest) return o.candidate() != null ? o.candidate() : "latest";
        return d.wanted().shown();
    }

    /** A pinned version older than the installed one. */
    static boolean downgrade(PackageResource d, PackageObserved o) {
        return d.wanted() instanceof PackageResource.Version v && o.version() != null
                && DebianVersion.compare(v.version(), o.version()) < 0;
    }

    /** What apt-get install is given for {@code d}: {@code NAME=VERSION} for a pin, else {@code NAME}. */
    static String installTarget(PackageResource d) {
        return d.wanted() instanceof PackageResource.Version v ? d.name() + "=" + v.version() : d.name();
    }
}
