package io.devbox.agent.run;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.profile.BoxVariants;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.source.Snapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code agent validate --all-boxes}: the profiles composed and checked (composition, completeness, the kinds' own
 * checks) for every box the repository's selectors tell apart ({@link BoxVariants}), without looking at this box.
 * Each error is reported once, with the first box that hits it.
 */
public final class AllBoxes {
    private final ProfileLoader loader;
    private final Supplier<Planner> planner;
    private final HostIdentity base;

    /** @param base this box's identity, whose user and home the boxes get */
    AllBoxes(ProfileLoader loader, Supplier<Planner> planner, HostIdentity base) {
        this.loader = loader;
        this.planner = planner;
        this.base = base;
    }

    /** An error, and a box that hits it (null: any box, e.g. a file's own error). */
    public record Finding(ProfileError error, HostIdentity box) {
    }

    /**
     * @param boxes     the representative boxes checked, one per distinct set of selected profiles
     * @param truncated there were more label combinations than were tried
     */
    public record Result(Snapshot snapshot, int profiles, List<HostIdentity> boxes, boolean truncated, List<Finding> findings,
                         List<String> notes) {
        public boolean valid() {
            return findings.isEmpty();
        }
    }

    Result check(Snapshot snap, List<String> notes) {
        ProfileLoader.Profiles read = loader.read(snap.profiles());
        Map<ProfileError, Finding> findings = new LinkedHashMap<>();
        Set<ProfileError> fileErrors = new HashSet<>(read.errors());
        for (ProfileError e : read.errors()) findings.put(e, new Finding(e, null));
        BoxVariants.Result variants = BoxVariants.of(read.profiles(), base);
        for (HostIdentity box : variants.boxes()) {
            List<ProfileError> errors = new ArrayList<>();
            try {
                ComposedSpec spec = loader.compose(read, box, snap.files());
                // no box to look at: kinds check what they can without one (DesiredContext without a host)
                planner.get().check(new DesiredContext(box, spec));
            } catch (ProfileException e) {
                errors.addAll(e.errors());
            }
            for (ProfileError e : errors) {
                if (!fileErrors.contains(e)) findings.putIfAbsent(e, new Finding(e, box));
            }
        }
        List<Finding> sorted = new ArrayList<>(findings.values());
        sorted.sort((a, b) -> a.error().compareTo(b.error()));
        return new Result(snap, read.profiles().size(), variants.boxes(), variants.truncated(), sorted, notes);
    }

    /** {@code hostname dev-x, labels team=db, ci=runner} (or {@code no labels}). */
    public static String describe(HostIdentity box) {
        String labels = box.labels().isEmpty() ? "no labels"
                : "labels " + String.join(", ", new java.util.TreeMap<>(box.labels()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        return "hostname " + box.hostname() + ", " + labels;
    }
}
