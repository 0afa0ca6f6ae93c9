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

    /** The probed state of the resource: its changes and the fingerprint of what was observed. */
    record Probed(List<Change> changes, String fingerprint) {
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
        return new Probed(reconciler.diff(desired, observed), fingerprint(String.valueOf(observed), sha));
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
