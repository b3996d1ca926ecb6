package dev.turnout.transform.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Reads Debezium's {@code ZonedTimestamp} text (ISO-8601 with an offset, e.g. {@code 2024-05-01T10:15:30.123456Z}).
 * The shape Debezium writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}, is read directly; anything else goes to
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, which also gives the error. {@code java.time}'s formatter took about
 * a tenth of the transform thread's CPU samples in a profile of the benchmark's users table (turnout-bench), more than
 * the rest of the mapping's evaluation.
 */
final class IsoOffsetTimestamps {

    private static final int[] NANO_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IsoOffsetTimestamps() {
    }

    /** @throws java.time.format.DateTimeParseException if the text is not an ISO-8601 timestamp with an offset */
    static Instant parse(String text) {
        Instant fast = parseCommonShape(text);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** Null when the text is not of the common shape or not a valid date and time; the formatter then decides. */
    static Instant parseCommonShape(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
            || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int pos = 19;
        int nanos = 0;
        if (s.charAt(pos) == '.') {
            int start = ++pos;
            while (pos < n && pos - start < 9 && isDigit(s.charAt(pos))) {
                pos++;
            }
            int count = pos - start;
            if (count == 0) {
                return null;
            }
            nanos = digits(s, start, count) * NANO_SCALE[count];
        }
        ZoneOffset offset;
        if (pos == n - 1 && s.charAt(pos) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (pos == n - 6 && (s.charAt(pos) == '+' || s.charAt(pos) == '-') && s.charAt(pos + 3) == ':') {
            int hours = digits(s, pos + 1, 2);
            int minutes = digits(s, pos + 4, 2);
            if ((hours | minutes) < 0) {
                return null;
            }
            int sign = s.charAt(pos) == '-' ? -1 : 1;
            try {
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            } catch (DateTimeException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The non-negative number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
