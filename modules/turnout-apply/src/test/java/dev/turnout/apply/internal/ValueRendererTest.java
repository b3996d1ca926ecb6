package dev.turnout.apply.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.IntervalValue;
import dev.turnout.schemas.apply.JsonValue;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;

/** Apply-record values written as the text PostgreSQL reads for the target column's type. */
class ValueRendererTest {

    private static TargetColumnInfo column(String type, char category) {
        return new TargetColumnInfo("c", type, type, type, category, false, false, OptionalInt.empty());
    }

    private static final TargetColumnInfo TEXT = column("text", 'S');

    @Test
    void scalarsAsTheirText() throws Exception {
        assertThat(ValueRenderer.render(null, TEXT)).isNull();
        assertThat(ValueRenderer.render(true, column("boolean", 'B'))).isEqualTo("true");
        assertThat(ValueRenderer.render(-42L, column("bigint", 'N'))).isEqualTo("-42");
        assertThat(ValueRenderer.render(Double.NaN, column("double precision", 'N'))).isEqualTo("NaN");
        assertThat(ValueRenderer.render(Double.NEGATIVE_INFINITY, column("double precision", 'N'))).isEqualTo("-Infinity");
        assertThat(ValueRenderer.render(ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 0x10}), column("bytea", 'U')))
            .isEqualTo("\\x00ff10");
    }

    @Test
    void decimalsKeepTheirScale() throws Exception {
        BigDecimal d = new BigDecimal("-12345678901234567890.0100");
        DecimalValue value = new DecimalValue(ByteBuffer.wrap(d.unscaledValue().toByteArray()), d.scale());
        assertThat(ValueRenderer.render(value, column("numeric", 'N'))).isEqualTo("-12345678901234567890.0100");
    }

    @Test
    void timestampsAsUtcForTimestampsDatesAndTimes() throws Exception {
        Instant instant = Instant.parse("2024-02-29T23:59:58.000123Z");
        TimestampValue value = new TimestampValue(instant.getEpochSecond() * 1_000_000 + 123);
        assertThat(ValueRenderer.render(value, column("timestamp with time zone", 'D')))
            .isEqualTo("2024-02-29 23:59:58.000123+00");
        assertThat(ValueRenderer.render(value, column("date", 'D'))).isEqualTo("2024-02-29");
        assertThat(ValueRenderer.render(value, column("time without time zone", 'D'))).isEqualTo("23:59:58.000123");
        TimestampValue beforeEpoch = new TimestampValue(-1L);
        assertThat(ValueRenderer.render(beforeEpoch, column("timestamp without time zone", 'D')))
            .isEqualTo("1969-12-31 23:59:59.999999+00");
        TimestampValue bc = new TimestampValue(Instant.parse("-0001-06-01T00:00:00Z").getEpochSecond() * 1_000_000);
        assertThat(ValueRenderer.render(bc, column("date", 'D'))).isEqualTo("0002-06-01 BC");
    }

    @Test
    void intervalsAsTimesOfDayOrMicroseconds() throws Exception {
        IntervalValue value = new IntervalValue(3_723_000_004L);
        assertThat(ValueRenderer.render(value, column("time without time zone", 'D'))).isEqualTo("01:02:03.000004");
        assertThat(ValueRenderer.render(value, column("interval", 'T'))).isEqualTo("3723000004 microseconds");
        assertThat(ValueRenderer.render(value, TEXT)).isEqualTo("PT1H2M3.000004S");
    }

    @Test
    void jsonArraysBecomeArrayLiteralsForArrayColumns() throws Exception {
        JsonValue value = new JsonValue("[\"a\", null, \"say \\\"hi\\\"\", [\"b\\\\c\"], 1.5, {\"k\": 1}]");
        assertThat(ValueRenderer.render(value, column("text[]", 'A')))
            .isEqualTo("{\"a\",NULL,\"say \\\"hi\\\"\",{\"b\\\\c\"},\"1.5\",\"{\\\"k\\\":1}\"}");
        assertThat(ValueRenderer.render(new JsonValue("{\"a\":1}"), column("jsonb", 'U'))).isEqualTo("{\"a\":1}");
        assertThatThrownBy(() -> ValueRenderer.render(new JsonValue("{\"a\":1}"), column("text[]", 'A')))
            .isInstanceOf(ValueRenderer.RenderException.class).hasMessageContaining("not a JSON array");
    }

    @Test
    void theToastMarkerHasNoText() {
        assertThat(ValueRenderer.isUnavailable(new Unavailable())).isTrue();
        assertThatThrownBy(() -> ValueRenderer.render(new Unavailable(), TEXT))
            .isInstanceOf(ValueRenderer.RenderException.class);
    }
}
