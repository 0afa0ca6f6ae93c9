package io.devbox.agent.watch;

import java.time.Duration;

/** When the watch loop looks again: pure functions of the settings and a random number in [0, 1). */
public final class Schedule {
    static final double JITTER = 0.10;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    private Schedule() {
    }

    /** The interval, spread by ±10% so that a fleet does not fetch in lockstep. */
    public static Duration jittered(Duration interval, double random) {
        double factor = 1 - JITTER + 2 * JITTER * random;
        return Duration.ofMillis(Math.max(1, Math.round(interval.toMillis() * factor)));
    }

    /**
     * After {@code failures} source errors in a row: the interval doubled per failure, capped at 32 intervals and at
     * 15 minutes (but never below the interval itself), jittered.
     */
    public static Duration backoff(Duration interval, int failures, double random) {
        if (failures <= 0) return jittered(interval, random);
        Duration cap = interval.multipliedBy(32);
        Duration limit = MAX_BACKOFF.compareTo(interval) > 0 ? MAX_BACKOFF : interval;
        if (cap.compareTo(limit) > 0) cap = limit;
        Duration d = interval.multipliedBy(1L << Math.min(failures, 20));
        return jittered(d.compareTo(cap) > 0 ? cap : d, random);
    }
}
