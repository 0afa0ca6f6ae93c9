package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A cgroup a profile asks for ({@code cgroup[build.slice]}), or, when {@code removal} is set, the "gone" form of
 * one the agent managed before and no profile lists any more.
 *
 * @param path      relative to the cgroup root, validated (no {@code ..}, no empty segments)
 * @param limits    the limits in profile order
 * @param dependsOn explicit {@code dependsOn} ids
 */
public record CgroupResource(String path, Origin origin, List<Wanted> limits, List<String> dependsOn, Removal removal)
        implements DesiredResource {

    /** What pruning undoes: only what the agent itself made. */
    public record Removal(boolean removeDirectories, boolean removeDropin) {
    }

    public CgroupResource {
        limits = List.copyOf(limits);
        dependsOn = List.copyOf(dependsOn);
    }

    public static String idOf(String path) {
        return "cgroup[" + path + "]";
    }

    @Override
    public String id() {
        return idOf(path);
    }

    public boolean isRemoval() {
        return removal != null;
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
