package io.devbox.agent.kinds.cgroup;

import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What the probe found for one cgroup. Keys of {@code directories} and {@code files} are "hierarchy-relative":
 * on v1 {@code memory} and {@code memory/memory.limit_in_bytes}, on v2 {@code ""} and {@code memory.max}.
 *
 * @param available       v1: the mounted controller hierarchies; v2: the root's {@code cgroup.controllers}
 * @param rootFiles       interface files the hierarchy roots offer (v1 only: {@code blkio/blkio.weight} may be absent)
 * @param directories     per hierarchy: whether the cgroup's directory exists
 * @param files           normalized contents of the interface files that exist
 * @param subtreeControl  v2: enabled controllers per ancestor ({@code ""} is the root)
 * @param dropin          content of the slice's drop-in written by the agent, null when absent
 */
public record CgroupObserved(CgroupVersion version, long pageSize, boolean systemd, SortedSet<String> available,
                             SortedSet<String> rootFiles, SortedMap<String, Boolean> directories,
                             SortedMap<String, String> files, SortedMap<String, SortedSet<String>> subtreeControl,
                             String dropin) {
    public CgroupObserved {
        available = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(available));
        rootFiles = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(rootFiles));
        directories = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(directories));
        files = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(files));
        java.util.TreeMap<String, SortedSet<String>> sc = new java.util.TreeMap<>();
        subtreeControl.forEach((k, v) -> sc.put(k, java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(v))));
        subtreeControl = java.util.Collections.unmodifiableSortedMap(sc);
    }

    public boolean exists(String hierarchy) {
        return directories.getOrDefault(hierarchy, false);
    }

    public Set<String> enabledIn(String ancestor) {
        return subtreeControl.getOrDefault(ancestor, java.util.Collections.emptySortedSet());
    }
}
