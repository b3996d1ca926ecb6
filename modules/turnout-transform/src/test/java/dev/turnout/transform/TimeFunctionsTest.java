package dev.turnout.transform;

import static dev.turnout.transform.Eval.eval;
import static dev.turnout.transform.Eval.problems;
import static dev.turnout.transform.Eval.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class TimeFunctionsTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:34:56.789012Z");
    private static final long NOON_MICROS = 1_714_566_896_789_012L;

    @Test
    void debeziumDateTimeEncodingsBecomeTimestamps() {
        // io.debezium.time.Date (days), MicroTimestamp (µs), Timestamp (ms, precision <= 3), ZonedTimestamp (ISO text).
        assertThat(eval("row.born_on", row("born_on", 19_844))).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(eval("row.created_at", row("created_at", NOON_MICROS))).isEqualTo(NOON);
        assertThat(eval("row.seen_at", row("seen_at", 1_714_566_896_789L))).isEqualTo(Instant.parse("2024-05-01T12:34:56.789Z"));
        assertThat(eval("row.updated_at", row("updated_at", "2024-05-01T14:34:56.789012+02:00"))).isEqualTo(NOON);
        // io.debezium.time.MicroTime: microseconds since midnight.
        assertThat(eval("row.starts", row("starts", 45_296_000_001L))).isEqualTo(Duration.parse("PT12H34M56.000001S"));
    }

    @Test
    void javaTimeValuesAreAcceptedToo() {
        assertThat(eval("row.born_on", row("born_on", LocalDate.of(2024, 5, 1)))).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(eval("row.updated_at", row("updated_at", NOON))).isEqualTo(NOON);
    }

    @Test
    void fromEpochConvertsDaysMillisAndMicros() {
        assertThat(eval("fromEpochDays(row.level)", row("level", 19_844))).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(eval("fromEpochMillis(row.login_ms)", row("login_ms", 1_714_566_896_789L)))
            .isEqualTo(Instant.parse("2024-05-01T12:34:56.789Z"));
        assertThat(eval("fromEpochMicros(row.login_ms)", row("login_ms", NOON_MICROS))).isEqualTo(NOON);
        assertThat(eval("fromEpochMicros(row.login_ms)", row("login_ms", -1L))).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(eval("fromEpochMillis(row.login_ms)", row("login_ms", null))).isNull();
    }

    @Test
    void epochFunctionsAreTheInverse() {
        assertThat(eval("epochMicros(row.created_at)", row("created_at", NOON_MICROS))).isEqualTo(NOON_MICROS);
        assertThat(eval("epochMillis(row.created_at)", row("created_at", NOON_MICROS))).isEqualTo(1_714_566_896_789L);
        assertThat(eval("epochDays(row.created_at)", row("created_at", NOON_MICROS))).isEqualTo(19_844L);
        assertThat(eval("epochDays(row.born_on)", row("born_on", -1))).isEqualTo(-1L);
    }

    @Test
    void formatTimeUsesPatternAndZoneDefaultingToUtc() {
        assertThat(eval("formatTime(row.created_at, 'yyyy-MM-dd HH:mm')", row("created_at", NOON_MICROS)))
            .isEqualTo("2024-05-01 12:34");
        assertThat(eval("formatTime(row.created_at, 'yyyy-MM-dd HH:mm xxx', 'Europe/Paris')", row("created_at", NOON_MICROS)))
            .isEqualTo("2024-05-01 14:34 +02:00");
        assertThat(eval("formatDate(row.created_at)", row("created_at", NOON_MICROS))).isEqualTo("2024-05-01");
    }

    @Test
    void parseTimeReadsTextWithOrWithoutZone() {
        assertThat(eval("parseTime(row.born, 'dd/MM/yyyy HH:mm')", row("born", "01/05/2024 12:34")))
            .isEqualTo(Instant.parse("2024-05-01T12:34:00Z"));
        assertThat(eval("parseTime(row.born, 'dd/MM/yyyy HH:mm', 'Europe/Paris')", row("born", "01/05/2024 14:34")))
            .isEqualTo(Instant.parse("2024-05-01T12:34:00Z"));
        assertThat(eval("parseTime(row.born, 'yyyy-MM-dd HH:mm xxx')", row("born", "2024-05-01 14:34 +02:00")))
            .isEqualTo(Instant.parse("2024-05-01T12:34:00Z"));
        assertThat(eval("parseTime(row.born, 'dd.MM.yyyy')", row("born", "01.05.2024")))
            .as("a date alone is its midnight").isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(eval("parseDate(row.born)", row("born", "2024-05-01"))).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(eval("timestamp(row.born)", row("born", "2024-05-01T12:34:56Z")))
            .as("CEL's own RFC 3339 parse").isEqualTo(Instant.parse("2024-05-01T12:34:56Z"));
    }

    @Test
    void textThatDoesNotMatchThePatternFailsTheRowWithoutQuotingIt() {
        assertThatThrownBy(() -> eval("parseTime(row.born, 'dd/MM/yyyy')", row("born", "secret-2024")))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageEndingWith("parseTime(): the text does not match the pattern 'dd/MM/yyyy'")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void aLiteralPatternOrZoneThatCannotWorkIsRejectedAtLoad() {
        assertThat(problems("formatTime(row.created_at, 'yyyy-MM-dd Q{')")).singleElement().asString()
            .contains("columns.v: formatTime(): invalid date-time pattern 'yyyy-MM-dd Q{'");
        assertThat(problems("formatTime(row.created_at, 'yyyy', 'Mars/Olympus')")).singleElement().asString()
            .contains("columns.v: formatTime(): invalid time zone 'Mars/Olympus'");
    }

    @Test
    void timestampsCompareAndShiftByDurations() {
        assertThat(eval("row.created_at + duration('1h') > row.updated_at",
            row("created_at", NOON_MICROS, "updated_at", "2024-05-01T13:00:00Z"))).isEqualTo(true);
        assertThat(eval("row.created_at.getFullYear()", row("created_at", NOON_MICROS))).isEqualTo(2024L);
    }
}
