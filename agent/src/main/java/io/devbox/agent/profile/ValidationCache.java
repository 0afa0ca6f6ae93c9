package io.devbox.agent.profile;

import java.util.Collection;

/**
 * Remembers which (schema, file content) pairs passed schema validation, so that an unchanged repository is not
 * validated again (loading the validator costs a noticeable part of a run). Keys are hex SHA-256 digests.
 */
public interface ValidationCache {
    boolean knownValid(String key);

    void remember(String key);

    /** Remembers several keys at once; implementations that persist should write once. */
    default void rememberAll(Collection<String> keys) {
        keys.forEach(this::remember);
    }

    /** Remembers nothing: every file is validated. */
    ValidationCache NONE = new ValidationCache() {
        @Override
        public boolean knownValid(String key) {
            return false;
        }

        @Override
        public void remember(String key) {
        }
    };
}
