package io.devbox.agent.kinds.contract;

import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.host.Host;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A box on which one kind can do its work for real, made in a temp directory: a {@code --root} sandbox, Windows
 * stand-ins, a loopback download server, git repositories, a fake cgroup v2 tree, as the kind needs.
 */
interface KindFixture extends AutoCloseable {
    /** A fresh reconciler of the kind, as the engine makes one per run, wired to this fixture's box. */
    Reconciler<?, ?> reconciler();

    Host host();

    /** The directory whose every entry the contract watches (the sandbox root, the stand-ins' state, ...). */
    Path tree();

    /** The kind's {@code spec} section, as YAML. */
    String section();

    /** Entries under {@link #tree()} that belong to no box: the logs of stand-ins for remote services. */
    default Set<String> notTheBox() {
        return Set.of();
    }

    /**
     * Entries a prune leaves on purpose (e.g. a kernel's live value, which a prune stops managing but cannot know the
     * old value of), each with its reason in the fixture.
     */
    default Set<String> keptByPrune() {
        return Set.of();
    }

    /** Files a prune must leave exactly as they were before the first apply, though the apply changed them. */
    default Set<String> restoredExactly() {
        return Set.of();
    }

    /**
     * Whether a command the kind runs changes the box (or the Windows side): applying the same changes a second time
     * must run none of them. Default: none of the kind's commands is known to change anything.
     */
    default boolean mutates(List<String> argv) {
        return false;
    }

    /** False for a kind that leaves what it set when the profiles drop it (the wsl kind keeps the user's settings). */
    default boolean prunes() {
        return true;
    }

    @Override
    default void close() {
    }
}
