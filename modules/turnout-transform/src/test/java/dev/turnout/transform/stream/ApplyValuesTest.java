package dev.turnout.transform.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.IntervalValue;
import dev.turnout.schemas.apply.JsonValue;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.transform.TargetRow;
import dev.turnout.transform.UnavailableValue;

class ApplyValuesTest {

    @Test
    void plainValuesAreCarriedAsThemselves() {
        assertThat(ApplyValues.toAvro(null)).isNull();
        assertThat(ApplyValues.toAvro(true)).isEqualTo(true);
        assertThat(ApplyValues.toAvro(42L)).isEqualTo(42L);
        assertThat(ApplyValues.toAvro(1.5d)).isEqualTo(1.5d);
        assertThat(ApplyValues.toAvro("text")).isEqualTo("text");
        assertThat(ApplyValues.toAvro(new byte[] {1, 2, 3})).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(ApplyValues.toAvro(7)).isEqualTo(7L);
        assertThat(ApplyValues.toAvro(1.1f)).isEqualTo(1.1d);
    }

    @Test
    void decimalsKeepTheirUnscaledValueAndScale() {
        DecimalValue d = (DecimalValue) ApplyValues.toAvro(new BigDecimal("-12.3400"));
        assertThat(new BigDecimal(new BigInteger(bytes(d.getUnscaled())), d.getScale()))
            .isEqualTo(new BigDecimal("-12.3400")).hasScaleOf(4);
        DecimalValue big = (DecimalValue) ApplyValues.toAvro(new BigInteger("123456789012345678901234567890"));
        assertThat(new BigInteger(bytes(big.getUnscaled()))).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(big.getScale()).isZero();
    }

    @Test
    void instantsAndDurationsBecomeMicroseconds() {
        assertThat(ApplyValues.toAvro(Instant.parse("2024-05-01T10:15:30.123456789Z")))
            .isEqualTo(new TimestampValue(1714558530123456L));
        // Before the epoch the microsecond is floored, as PostgreSQL stores it.
        assertThat(ApplyValues.toAvro(Instant.parse("1969-12-31T23:59:59.999999500Z")))
            .isEqualTo(new TimestampValue(-1L));
        assertThat(ApplyValues.toAvro(Duration.ofHours(1).plusNanos(1500))).isEqualTo(new IntervalValue(3_600_000_001L));
        assertThatThrownBy(() -> ApplyValues.toAvro(Instant.MAX)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("beyond the range of 64-bit microseconds");
    }

    @Test
    void listsAndMapsBecomeJsonText() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("city", "Oslo");
        map.put("total", new BigDecimal("1E+3"));
        map.put("at", Instant.parse("2024-05-01T10:15:30Z"));
        map.put("tags", List.of("a", "b"));
        assertThat(ApplyValues.toAvro(map)).isEqualTo(
            new JsonValue("{\"city\":\"Oslo\",\"total\":1000,\"at\":\"2024-05-01T10:15:30Z\",\"tags\":[\"a\",\"b\"]}"));
        assertThat(ApplyValues.toAvro(List.of(1L, 2L))).isEqualTo(new JsonValue("[1,2]"));
    }

    @Test
    void anUnavailableValueStaysUnavailable() {
        assertThat(ApplyValues.toAvro(UnavailableValue.INSTANCE)).isInstanceOf(Unavailable.class);
    }

    @Test
    void aRowImageKeepsTheMappingsColumnOrderAndNamesAColumnThatCannotBeCarried() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 1L);
        values.put("name", "Ada");
        values.put("note", null);
        TargetRow row = new TargetRow(TableId.parse("public.accounts"), values, Map.of("id", 1L));
        assertThat(ApplyValues.columns(row)).containsExactly(new ApplyColumn("id", 1L), new ApplyColumn("name", "Ada"),
            new ApplyColumn("note", null));

        values.put("odd", new Object());
        TargetRow odd = new TargetRow(TableId.parse("public.accounts"), values, Map.of("id", 1L));
        assertThatThrownBy(() -> ApplyValues.columns(odd)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("column odd: a value of type java.lang.Object has no form in the apply topic");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
