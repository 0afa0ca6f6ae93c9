package io.devbox.agent.cli;

import io.devbox.agent.profile.Durations;
import picocli.CommandLine;

import java.time.Duration;

/**
 * Duration options take the config file's syntax: {@code 90s}, {@code 30m}, {@code 8h}, {@code 2d}, within bounds
 * the option states (an interval of 0 would spin; an override is temporary).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private final Duration min;
    private final Duration max;

    DurationConverter(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
        if (d.compareTo(min) < 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is shorter than " + Durations.format(min));
        }
        if (max != null && d.compareTo(max) > 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is longer than " + Durations.format(max));
        }
        return d;
    }
}
