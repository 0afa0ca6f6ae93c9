package io.devbox.agent.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * A user error in the profiles: carries every located error found, sorted, and notes that help make sense of them
 * (e.g. that the run read the committed tree while the work tree has other profile files).
 */
public final class ProfileException extends Exception {
    private final List<ProfileError> errors;
    private final List<String> notes;

    public ProfileException(List<ProfileError> errors) {
        this(errors, List.of());
    }

    private ProfileException(List<ProfileError> errors, List<String> notes) {
        super(errors.isEmpty() ? "invalid profiles" : errors.get(0).render(), null, false, false);
        this.errors = errors.stream().sorted().distinct().toList();
        this.notes = List.copyOf(notes);
    }

    public ProfileException(Origin origin, String message) {
        this(List.of(new ProfileError(origin, message)));
    }

    public List<ProfileError> errors() {
        return errors;
    }

    public List<String> notes() {
        return notes;
    }

    /** The same errors with {@code more} notes. */
    public ProfileException withNotes(List<String> more) {
        if (more.isEmpty()) return this;
        List<String> all = new ArrayList<>(notes);
        all.addAll(more);
        return new ProfileException(errors, all);
    }
}
