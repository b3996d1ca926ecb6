package dev.turnout.reconcile.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.turnout.schemas.apply.DecimalValue;
import dev.turnout.schemas.apply.JsonValue;
import dev.turnout.schemas.apply.TimestampValue;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.transform.SourceColumn;

/** What is and is not a difference between an expected and an actual value. */
class ValuesTest {

    private static Optional<SourceColumn> column(String type) {
        return Optional.of(SourceColumn.of("c", type, true));
    }

    private static Optional<SourceColumn> time(String type, int digits) {
        return Optional.of(new SourceColumn("c", type, OptionalInt.of(digits), true, OptionalInt.empty()));
    }

    private static DecimalValue decimal(String text) {
        BigDecimal d = new BigDecimal(text);
        return new DecimalValue(ByteBuffer.wrap(d.unscaledValue().toByteArray()), d.scale());
    }

    @Test
    void numbersCompareByValueWhateverTheirScaleOrKind() {
        assertThat(Values.same(decimal("1.50"), decimal("1.500"), column("numeric"))).isTrue();
        assertThat(Values.same(42L, decimal("42.00"), column("numeric"))).isTrue();
        assertThat(Values.same(42L, 42.0, column("float8"))).isTrue();
        assertThat(Values.same(decimal("0.00"), 0L, column("numeric"))).isTrue();
        assertThat(Values.same(decimal("1.51"), decimal("1.5"), column("numeric"))).isFalse();
    }

    @Test
    void timestampsAreRoundedToTheTargetColumnsPrecisionAsPostgresqlRounds() {
        long micros = 1_714_557_600_123_456L;
        assertThat(Values.same(new TimestampValue(micros), new TimestampValue(1_714_557_600_123_000L),
            time("timestamp", 3))).isTrue();
        assertThat(Values.same(new TimestampValue(1_714_557_600_123_500L), new TimestampValue(1_714_557_600_124_000L),
            time("timestamp", 3))).isTrue();
        assertThat(Values.same(new TimestampValue(micros), new TimestampValue(1_714_557_600_123_000L),
            time("timestamp", 6))).isFalse();
        assertThat(Values.round(-1_500L, 3)).isEqualTo(-2_000L);
    }

    @Test
    void jsonComparesAsADocumentAndCharPaddingIsIgnored() {
        assertThat(Values.same("{\"a\": 1, \"b\": [1.0]}", "{\"b\":[1],\"a\":1}", column("jsonb"))).isTrue();
        assertThat(Values.same(new JsonValue("[\"x\"]"), "[\"x\"]", column("jsonb"))).isTrue();
        assertThat(Values.same("ab", "ab   ", column("bpchar"))).isTrue();
        assertThat(Values.same("ab", "ab   ", column("text"))).isFalse();
    }

    @Test
    void anUnavailableValueIsNotComparedAndNullEqualsOnlyNull() {
        assertThat(Values.same(new Unavailable(), "anything", column("text"))).isTrue();
        assertThat(Values.same(null, null, column("text"))).isTrue();
        assertThat(Values.same(null, "", column("text"))).isFalse();
    }

    @Test
    void longValuesAreCutForDisplay() {
        String shown = Values.display("x".repeat(500));
        assertThat(shown).startsWith("x".repeat(Values.MAX_TEXT)).endsWith("… (500 characters)");
        assertThat(Values.display(ByteBuffer.wrap(new byte[] {1, (byte) 0xff}))).isEqualTo("\\x01ff");
    }
}
