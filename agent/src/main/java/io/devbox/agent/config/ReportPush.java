package io.devbox.agent.config;

import io.devbox.agent.profile.Durations;

import java.time.Duration;
import java.util.Locale;

/**
 * When {@code agent watch} publishes this box's report (config {@code report: {push, heartbeat}}):
 * {@code on-change} after a cycle whose summary, commit, drift or errors differ from the report last pushed, and at
 * least every {@code heartbeat}; {@code every D} every D; {@code never}.
 */
public record ReportPush(Mode mode, Duration every, Duration heartbeat) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofHours(1);
    public static final ReportPush NEVER = new ReportPush(Mode.NEVER, null, DEFAULT_HEARTBEAT);

    public enum Mode { ON_CHANGE, EVERY, NEVER }

    public ReportPush {
        if (mode == Mode.EVERY && (every == null || every.isZero() || every.isNegative())) {
            throw new IllegalArgumentException("report push every D needs a positive D");
        }
        if (heartbeat == null) heartbeat = DEFAULT_HEARTBEAT;
        if (heartbeat.isZero() || heartbeat.isNegative()) throw new IllegalArgumentException("report heartbeat must be positive");
    }

    /** {@code on-change}, {@code never} or {@code every D} (D as in {@link Durations}); null heartbeat: the default. */
    public static ReportPush parse(String push, Duration heartbeat) {
        String p = push == null ? "never" : push.strip().toLowerCase(Locale.ROOT);
        if (p.equals("never")) return new ReportPush(Mode.NEVER, null, heartbeat);
        if (p.equals("on-change")) return new ReportPush(Mode.ON_CHANGE, null, heartbeat);
        if (p.startsWith("every ")) return new ReportPush(Mode.EVERY, Durations.parse(p.substring(6)), heartbeat);
        throw new IllegalArgumentException("report push must be on-change, never or every D (e.g. every 30m), not '" + push + "'");
    }

    /** As written in the config: {@code on-change}, {@code every 30m}, {@code never}. */
    public String describe() {
        return switch (mode) {
            case ON_CHANGE -> "on-change, heartbeat " + Durations.format(heartbeat);
            case EVERY -> "every " + Durations.format(every);
            case NEVER -> "never";
        };
    }
}
