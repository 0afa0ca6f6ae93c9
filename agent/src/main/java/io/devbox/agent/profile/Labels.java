package io.devbox.agent.profile;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Label syntax, as Kubernetes has it (and the profile schema's selector says): a key is an optional prefix (a DNS
 * subdomain of at most 253 characters, then '/') and a name of 1 to 63 characters, letters, digits, '-', '_' and '.',
 * beginning and ending with a letter or digit; a value is empty or such a name.
 */
public final class Labels {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?");
    static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    static final int MAX_PREFIX = 253;

    private Labels() {
    }

    /** Why {@code key} is not a label key, or empty when it is one. */
    public static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) return Optional.of("a label needs a name (like team in team=backend)");
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !PREFIX.matcher(prefix).matches()) {
                return Optional.of("label prefix '" + prefix + "' is not a DNS subdomain (lowercase letters, digits, '-' and "
                        + "'.', at most 253 characters, like example.com in example.com/team)");
            }
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("label name '" + name + "' must be 1 to 63 letters, digits, '-', '_' or '.', beginning and "
                    + "ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a label value, or empty when it is one. */
    public static Optional<String> valueProblem(String value) {
        if (value == null) return Optional.of("a label needs a value");
        if (value.isEmpty() || NAME.matcher(value).matches()) return Optional.empty();
        return Optional.of("label value '" + value + "' must be empty or 1 to 63 letters, digits, '-', '_' or '.', beginning "
                + "and ending with a letter or digit");
    }
}
