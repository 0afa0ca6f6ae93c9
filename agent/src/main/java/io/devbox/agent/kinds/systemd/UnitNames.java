package io.devbox.agent.kinds.systemd;

import java.util.Optional;
import java.util.regex.Pattern;

/** systemd's rules for unit and drop-in names (unit_name_is_valid), as far as a profile needs them. */
public final class UnitNames {
    static final int MAX_LENGTH = 255;
    private static final Pattern UNIT = Pattern.compile(
            "[A-Za-z0-9:_.\\\\-]+(@[A-Za-z0-9:_.\\\\-]*)?\\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)");
    private static final Pattern DROPIN = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+\\.conf");

    private UnitNames() {
    }

    public static Optional<String> unitProblem(String name) {
        if (name.length() > MAX_LENGTH) return Optional.of("unit name longer than " + MAX_LENGTH + " characters");
        if (!UNIT.matcher(name).matches()) {
            return Optional.of("not a valid unit name: '" + name + "' (letters, digits, ':', '_', '.', '\\', '-', an optional "
                    + "@instance, and a type suffix such as .service, .socket, .timer, .target, .slice, .mount)");
        }
        return Optional.empty();
    }

    /** A template ({@code foo@.service}) cannot be started or enabled by itself. */
    public static boolean isTemplate(String name) {
        return name.contains("@.");
    }

    public static Optional<String> dropinProblem(String name) {
        if (name.length() > MAX_LENGTH || !DROPIN.matcher(name).matches() || name.startsWith(".")) {
            return Optional.of("not a valid drop-in name: '" + name + "' (a file name ending in .conf, e.g. 10-limits.conf)");
        }
        return Optional.empty();
    }
}
