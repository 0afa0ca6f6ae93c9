package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A cgroup a profile asks for ({@code cgroup[build.slice]}), or its {@link Presence.Absent absent} form: one the agent
 * managed before and no profile lists any more. Pruning undoes only what the agent itself made, as last applied.
 *
 * @param path      relative to the cgroup root, validated (no {@code ..}, no empty segments)
 * @param limits    the limits in profile order
 * @param dependsOn explicit {@code dependsOn} ids
 */
public record CgroupResource(String path, Origin origin, List<Wanted> limits, List<String> dependsOn, Presence presence)
        implements DesiredResource {

    public CgroupResource {
        limits = List.copyOf(limits);
        dependsOn = List.copyOf(dependsOn);
        java.util.Objects.requireNonNull(presence);
    }

    /** The cgroup as a profile declares it. */
    public CgroupResource(String path, Origin origin, List<Wanted> limits, List<String> dependsOn) {
        this(path, origin, limits, dependsOn, Presence.PRESENT);
    }

    public static String idOf(String path) {
        return "cgroup[" + path + "]";
    }

    @Override
    public String id() {
        return idOf(path);
    }

    public boolean isRemoval() {
        return presence.isAbsent();
    }

    /** The absent form: the agent made the cgroup's directories, so pruning removes them. */
    public boolean removesDirectories() {
        return presence instanceof Presence.Absent a && a.lastApplied().entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith(CgroupReconciler.CGROUP_FIELD) && CgroupOp.PRESENT.equals(e.getValue()));
    }

    /** The absent form: the agent wrote the slice's drop-in, so pruning deletes it. */
    public boolean removesDropin() {
        return presence instanceof Presence.Absent a && a.applied(CgroupReconciler.DROPIN_FIELD, Layer.PERSISTED) != null;
    }

    /** The last path segment when it names a systemd slice ({@code a.slice/a-b.slice} → {@code a-b.slice}). */
    public String sliceUnit() {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.endsWith(".slice") && last.length() > ".slice".length() ? last : null;
    }

    /** The v2 controllers the limits need, in a stable order. */
    public Set<String> v2Controllers() {
        Set<String> c = new LinkedHashSet<>();
        for (Wanted w : limits) c.add(w.setting().v2Controller());
        return c;
    }
}
