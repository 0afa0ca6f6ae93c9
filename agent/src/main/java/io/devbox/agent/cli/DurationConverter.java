package io.devbox.agent.cli;

import io.devbox.agent.config.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Duration options take the config file's syntax: {@code 90s}, {@code 30m}, {@code 8h}, {@code 2d}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
