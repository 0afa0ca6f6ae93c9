package io.devbox.agent.config;

import io.devbox.agent.profile.ProfileError;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** An agent config file that cannot be used: every problem located as {@code FILE:LINE:COL: message}. */
public final class ConfigException extends IOException {
    private final List<ProfileError> errors;

    public ConfigException(List<ProfileError> errors) {
        super(errors.stream().map(ProfileError::render).collect(Collectors.joining("\n"))
                + "\n" + errors.size() + (errors.size() == 1 ? " error" : " errors") + " in the agent config; nothing was done.");
        this.errors = List.copyOf(errors);
    }

    public List<ProfileError> errors() {
        return errors;
    }
}
