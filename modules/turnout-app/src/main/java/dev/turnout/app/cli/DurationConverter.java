package dev.turnout.app.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import dev.turnout.core.config.spec.Scalars;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Command-line durations in the config's form ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}), parsed
 * by the same spec as {@code turnout.yaml}, or ISO-8601 ({@code PT30S}).
 */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Duration.parse((String) Scalars.duration().parse(value));
        } catch (IllegalArgumentException notConfigForm) {
            try {
                return Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("expected a duration such as 500ms, 30s, 5m, 1h or PT30S, got '"
                    + value + "'");
            }
        }
    }
}
