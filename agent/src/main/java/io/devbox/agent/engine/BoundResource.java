package io.devbox.agent.engine;

import io.devbox.agent.host.Host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A desired resource bound to the reconciler of its kind, so the engine can drive it without knowing its types. */
final class BoundResource<D extends DesiredResource, O> {
    private final Reconciler<D, O> reconciler;
    private final D desired;
    private final boolean removal;

    BoundResource(Reconciler<D, O> reconciler, D desired, boolean removal) {
        this.reconciler = reconciler;
        this.desired = desired;
        this.removal = removal;
    }

    /** The probed state of the resource: its changes, whether it exists, and the fingerprint of what was observed. */
    record Probed(List<Change> changes, boolean exists, String fingerprint) {
        /** What the changes do: remove for a prune, else add or change as the resource exists; null without changes. */
        Action action(boolean removal) {
            if (changes.isEmpty()) return null;
            if (removal) return Action.REMOVE;
            return exists ? Action.CHANGE : Action.ADD;
        }
    }

    D desired() {
        return desired;
    }

    Reconciler<D, O> reconciler() {
        return reconciler;
    }

    boolean removal() {
        return removal;
    }

    /** @param sha a SHA-256 digest to reuse (one per planner: thousands of resources, one lookup) */
    Probed probe(Host host, MessageDigest sha) throws ResourceException {
        O observed = reconciler.probe(desired, host);
        List<Change> changes = reconciler.diff(desired, observed);
        return new Probed(changes, reconciler.exists(desired, observed, changes), fingerprint(String.valueOf(observed), sha));
    }

    List<String> warnings(Host host) {
        return reconciler.warnings(desired, host);
    }

    void apply(Change change, Host host) throws ResourceException {
        reconciler.apply(desired, change, host);
    }

    static String fingerprint(String observed, MessageDigest sha) {
        byte[] d = sha.digest(observed.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 12);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
