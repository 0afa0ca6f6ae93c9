package io.devbox.agent.engine;

import io.devbox.agent.host.Host;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.ProfileException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One resource kind. A fresh instance serves one run, so per-run bookkeeping (one daemon-reload per run, say)
 * may live in instance fields.
 * <ul>
 * <li>{@link #probe} is read-only: it never changes the box.</li>
 * <li>{@link #diff} is pure: same inputs, same changes; unit-testable without a box.</li>
 * <li>{@link #apply} is idempotent: applying a change twice leaves the box as applying it once.</li>
 * </ul>
 * The engine re-probes after applying and calls a resource converged only when the new diff is empty.
 *
 * @param <D> the desired resource
 * @param <O> what the probe observed; a record, so that its {@code toString} is a stable fingerprint input
 */
public interface Reconciler<D extends DesiredResource, O> {

    /** The kind's name as used in {@code --only} and JSON output, e.g. {@code sysctl}, {@code unit}. */
    String kind();

    /** The key of the kind's section under {@code spec}, e.g. {@code sysctl}, {@code systemd}. */
    String specKey();

    /** Turns the composed section into resources; semantic errors are located {@link ProfileException}s. */
    List<D> desired(Node section, DesiredContext context) throws ProfileException;

    /**
     * Whether the resource already exists on the box, as {@code observed} shows it: its plan line is then {@code ~}
     * (change), never {@code +} (add). {@code changes} are what {@link #diff} found. By default it exists when some
     * changed field has a value now; a kind whose resources exist before the agent acts (a kernel parameter, a unit
     * shipped by a package) says so.
     */
    default boolean exists(D desired, O observed, List<Change> changes) {
        for (Change c : changes) if (c.from() != null) return true;
        return false;
    }

    /** Reads the actual state. Throws {@link ResourceSkipped} when the box lacks the mechanism. */
    O probe(D desired, Host host) throws ResourceException;

    /** Pure: the changes that would bring {@code observed} to {@code desired}. */
    List<Change> diff(D desired, O observed);

    /** Idempotent: makes one change true on the box. */
    void apply(D desired, Change change, Host host) throws ResourceException;

    /** When the whole kind cannot work on this box, the reason; its resources are then {@code skipped}. */
    default Optional<String> unsupported(Host host) {
        return Optional.empty();
    }

    /**
     * A resource the agent applied earlier (its id and last applied values by {@link Change#stateKey()}) that no
     * profile lists any more. Returns the desired "gone" form of it, or empty when leaving it alone is right.
     */
    default Optional<D> removal(String resourceId, Map<String, String> lastApplied) {
        return Optional.empty();
    }

    /** Warnings the plan shows for a resource on this box; by default those the resource itself carries. */
    default List<String> warnings(D desired, Host host) {
        return desired.warnings();
    }

    /** Called once after every apply of the run, for batched work (e.g. a daemon-reload). */
    default void finish(Host host) throws ResourceException {
    }
}
