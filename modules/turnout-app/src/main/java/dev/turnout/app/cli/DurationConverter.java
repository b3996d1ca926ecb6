package dev.turnout.app.cli;

import java.time.Duration;

import dev.turnout.core.config.spec.Scalars;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line durations in the config's form: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Duration.parse((String) Scalars.duration().parse(value));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected a duration such as 500ms, 30s, 5m or 1h, got '" + value + "'");
        }
    }
}
