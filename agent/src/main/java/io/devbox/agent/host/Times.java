package io.devbox.agent.host;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How the agent writes a point in time, everywhere (records, state files, output): ISO-8601 UTC to the second. */
public final class Times {
    private Times() {
    }

    /** {@code 2026-11-29T10:15:00Z}: no fraction of a second. */
    public static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The instant to the second, for values computed from "now" that are stored and shown. */
    public static Instant seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }
}
