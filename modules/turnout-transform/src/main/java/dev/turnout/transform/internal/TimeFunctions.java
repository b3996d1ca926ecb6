package dev.turnout.transform.internal;

import static dev.turnout.transform.internal.CelValues.instant;
import static dev.turnout.transform.internal.CelValues.timestamp;
import static dev.turnout.transform.internal.StringFunctions.nullSafe;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;

/**
 * Date and time conversions between the epoch numbers legacy schemas (and Debezium) use, ISO text, patterns and CEL
 * timestamps. Every date and time is a CEL {@code timestamp} (an instant); a date is midnight UTC. Zones default to
 * UTC. Null in the first argument gives null.
 */
public final class TimeFunctions {

    /** Functions whose second argument is a {@link DateTimeFormatter} pattern and third a zone id, checked at load. */
    public static final Set<String> PATTERN_FUNCTIONS = Set.of("formatTime", "parseTime");

    private static final CelType S = SimpleType.STRING;
    private static final CelType I = SimpleType.INT;
    private static final CelType TS = SimpleType.TIMESTAMP;

    private TimeFunctions() {
    }

    static void register(FunctionSet fs) {
        fs.add("fromEpochDays", "turnout_fromEpochDays_int", TS, List.of(I), List.of(Object.class),
            nullSafe(args -> timestamp(LocalDate.ofEpochDay((Long) args[0]).atStartOfDay(ZoneOffset.UTC).toInstant())));
        fs.add("fromEpochMillis", "turnout_fromEpochMillis_int", TS, List.of(I), List.of(Object.class),
            nullSafe(args -> timestamp(Instant.ofEpochMilli((Long) args[0]))));
        fs.add("fromEpochMicros", "turnout_fromEpochMicros_int", TS, List.of(I), List.of(Object.class),
            nullSafe(args -> timestamp(ofEpochMicros((Long) args[0]))));
        fs.add("epochDays", "turnout_epochDays_timestamp", I, List.of(TS), List.of(Object.class),
            nullSafe(args -> Math.floorDiv(instant((Timestamp) args[0]).getEpochSecond(), 86_400L)));
        fs.add("epochMillis", "turnout_epochMillis_timestamp", I, List.of(TS), List.of(Object.class),
            nullSafe(args -> instant((Timestamp) args[0]).toEpochMilli()));
        fs.add("epochMicros", "turnout_epochMicros_timestamp", I, List.of(TS), List.of(Object.class),
            nullSafe(args -> epochMicros(instant((Timestamp) args[0]))));
        fs.add("formatDate", "turnout_formatDate_timestamp", S, List.of(TS), List.of(Object.class),
            nullSafe(args -> LocalDate.ofInstant(instant((Timestamp) args[0]), ZoneOffset.UTC).toString()));
        fs.add("parseDate", "turnout_parseDate_string", TS, List.of(S), List.of(Object.class),
            nullSafe(args -> timestamp(parseIsoDate((String) args[0]))));
        fs.add("formatTime", "turnout_formatTime_timestamp_string", S, List.of(TS, S),
            List.of(Object.class, String.class),
            nullSafe(args -> format((Timestamp) args[0], (String) args[1], "UTC")));
        fs.add("formatTime", "turnout_formatTime_timestamp_string_string", S, List.of(TS, S, S),
            List.of(Object.class, String.class, String.class),
            nullSafe(args -> format((Timestamp) args[0], (String) args[1], (String) args[2])));
        fs.add("parseTime", "turnout_parseTime_string_string", TS, List.of(S, S), List.of(Object.class, String.class),
            nullSafe(args -> timestamp(parse((String) args[0], (String) args[1], "UTC"))));
        fs.add("parseTime", "turnout_parseTime_string_string_string", TS, List.of(S, S, S),
            List.of(Object.class, String.class, String.class),
            nullSafe(args -> timestamp(parse((String) args[0], (String) args[1], (String) args[2]))));
    }

    /** Debezium's MicroTimestamp and MicroTime unit. */
    public static Instant ofEpochMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    static long epochMicros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L),
            TimeUnit.NANOSECONDS.toMicros(i.getNano()));
    }

    /** A pattern as {@code formatTime} and {@code parseTime} read it; throws {@link IllegalArgumentException} naming it. */
    public static DateTimeFormatter pattern(String pattern) {
        try {
            return DateTimeFormatter.ofPattern(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid date-time pattern '" + pattern + "': " + e.getMessage());
        }
    }

    /** A zone as {@code formatTime} and {@code parseTime} read it; throws {@link IllegalArgumentException} naming it. */
    public static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("invalid time zone '" + zone + "': " + e.getMessage());
        }
    }

    private static String format(Timestamp ts, String pattern, String zone) {
        try {
            return pattern(pattern).format(ZonedDateTime.ofInstant(instant(ts), zone(zone)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("cannot format with '" + pattern + "': " + e.getMessage(), e);
        }
    }

    /** Text with an offset or zone is that instant; without, it is read in {@code zone}; a date alone is its midnight. */
    private static Instant parse(String text, String pattern, String zone) {
        ZoneId z = zone(zone);
        try {
            TemporalAccessor t = pattern(pattern).parseBest(text, ZonedDateTime::from, LocalDateTime::from,
                LocalDate::from);
            if (t instanceof ZonedDateTime zdt) {
                return zdt.toInstant();
            }
            if (t instanceof LocalDateTime ldt) {
                return ldt.atZone(z).toInstant();
            }
            return ((LocalDate) t).atStartOfDay(z).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the text does not match the pattern '" + pattern + "'");
        }
    }

    private static Instant parseIsoDate(String text) {
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the text is not an ISO date (yyyy-MM-dd)");
        }
    }
}
