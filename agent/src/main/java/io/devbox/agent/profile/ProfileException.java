package io.devbox.agent.profile;

import java.util.List;

/** A user error in the profiles: carries every located error found, sorted. */
public final class ProfileException extends Exception {
    private final List<ProfileError> errors;

    public ProfileException(List<ProfileError> errors) {
        super(errors.isEmpty() ? "invalid profiles" : errors.get(0).render(), null, false, false);
        this.errors = errors.stream().sorted().distinct().toList();
    }

    public ProfileException(Origin origin, String message) {
        this(List.of(new ProfileError(origin, message)));
    }

    public List<ProfileError> errors() {
        return errors;
    }
}
