package dev.turnout.transform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.debezium.time.ZonedTimestamp;

/** The direct reading of Debezium's timestamp text agrees with java.time's ISO formatter, which stays the authority. */
class IsoOffsetTimestampsTest {

    @Test
    void readsWhatDebeziumWritesAsJavaTimeDoes() {
        SplittableRandom random = new SplittableRandom(20261122);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
                random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000) / 1000 * 1000);
            ZoneOffset offset = random.nextBoolean() ? ZoneOffset.UTC
                : ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String text = ZonedTimestamp.toIsoString(OffsetDateTime.ofInstant(instant, offset), null);

            assertThat(IsoOffsetTimestamps.parseCommonShape(text)).as(text).isEqualTo(instant);
            assertThat(IsoOffsetTimestamps.parse(text)).as(text).isEqualTo(javaTime(text));
        }
    }

    @Test
    void fractionsOfAnyLengthAndOffsetsAreRead() {
        for (String text : new String[] {"2024-05-01T10:15:30Z", "2024-05-01T10:15:30.1Z", "2024-05-01T10:15:30.123456789Z",
            "2024-05-01T10:15:30.5+05:30", "1999-12-31T23:59:59.999-08:00", "2024-02-29T00:00:00+00:00"}) {
            assertThat(IsoOffsetTimestamps.parseCommonShape(text)).as(text).isEqualTo(javaTime(text));
        }
    }

    @Test
    void otherShapesAreLeftToJavaTime() {
        // Seconds in the offset, a five-digit year, a missing second and a point without digits are valid ISO text of
        // other shapes.
        for (String text : new String[] {"2024-05-01T10:15:30+05:30:15", "+12024-05-01T10:15:30Z", "2024-05-01T10:15Z",
            "2024-05-01T10:15:30.Z"}) {
            assertThat(IsoOffsetTimestamps.parseCommonShape(text)).as(text).isNull();
            assertThat(IsoOffsetTimestamps.parse(text)).as(text).isEqualTo(javaTime(text));
        }
    }

    @Test
    void invalidTextIsRejectedAsJavaTimeRejectsIt() {
        for (String text : new String[] {"2024-02-30T10:15:30Z", "2024-05-01T24:00:00Z", "2024-05-01T10:15:30", "2024-05-01 10:15:30Z", "2024-05-01T10:15:30.1234567890Z", "2024-05-01T10:15:30+19:00",
            "not a timestamp at all"}) {
            assertThat(IsoOffsetTimestamps.parseCommonShape(text)).as(text).isNull();
            assertThatThrownBy(() -> IsoOffsetTimestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }

    private static Instant javaTime(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }
}
