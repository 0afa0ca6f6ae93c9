package io.devbox.agent.engine;

import io.devbox.agent.host.Times;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent last applied, per resource and field ({@link Change#stateKey()}): the reference for drift.
 * Long values are kept as a digest; compare through {@link #matches}.
 */
public final class AppliedState {
    private static final int KEEP_VERBATIM = 200;

    public record Entry(String kind, Map<String, String> values, String appliedAt, String commit) {
        public Entry {
            values = Map.copyOf(values);
        }
    }

    private final Map<String, Entry> resources;

    public AppliedState(Map<String, Entry> resources) {
        this.resources = new TreeMap<>(resources);
    }

    public static AppliedState empty() {
        return new AppliedState(Map.of());
    }

    public Map<String, Entry> resources() {
        return java.util.Collections.unmodifiableMap(resources);
    }

    public Entry get(String id) {
        return resources.get(id);
    }

    /** The remembered form of a value: itself when short, else its digest. */
    public static String remembered(String value) {
        if (value == null || value.length() <= KEEP_VERBATIM) return value;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * True when the observed value of a change's field differs from what the agent last applied there: drift.
     * False when nothing was applied for that field yet.
     */
    public boolean drifted(Change change) {
        Entry e = resources.get(change.resourceId());
        if (e == null || !e.values().containsKey(change.stateKey())) return false;
        String last = e.values().get(change.stateKey());
        return !java.util.Objects.equals(last, remembered(change.from()));
    }

    /** When the field was last applied (ISO instant), or null. */
    public String appliedAt(String resourceId) {
        Entry e = resources.get(resourceId);
        return e == null ? null : e.appliedAt();
    }

    /** Records that {@code change} was applied and verified. A removal to absent forgets the field. */
    public void record(String kind, Change change, String at, String commit) {
        Entry old = resources.get(change.resourceId());
        Map<String, String> values = new LinkedHashMap<>(old == null ? Map.of() : old.values());
        if (change.to() == null) values.remove(change.stateKey());
        else values.put(change.stateKey(), remembered(change.to()));
        if (values.isEmpty()) resources.remove(change.resourceId());
        else resources.put(change.resourceId(), new Entry(kind, values, at, commit));
    }

    /**
     * Takes in what an apply did: the converged changes of each resource are remembered (with when and from which
     * commit), resources that are gone are forgotten. The listener of every {@link Outcome} that is to be kept.
     */
    public void remember(Outcome outcome) {
        for (ResourceOutcome r : outcome.items()) {
            String at = Times.iso(r.at());
            for (Change c : r.converged()) record(r.kind(), c, at, outcome.commit());
            if (r.forget()) forget(r.result().id());
        }
    }

    public void forget(String resourceId) {
        resources.remove(resourceId);
    }
}
