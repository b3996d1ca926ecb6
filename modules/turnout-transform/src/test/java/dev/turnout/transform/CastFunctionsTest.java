package dev.turnout.transform;

import static dev.turnout.transform.Eval.eval;
import static dev.turnout.transform.Eval.problems;
import static dev.turnout.transform.Eval.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class CastFunctionsTest {

    @Test
    void numericColumnsStayExactDecimals() {
        assertThat(eval("row.amount", row("amount", new BigDecimal("12.50")))).isEqualTo(new BigDecimal("12.50"));
        assertThat(eval("row.amount + decimal('0.1')", row("amount", new BigDecimal("0.2"))))
            .isEqualTo(new BigDecimal("0.3"));
        assertThat(eval("row.amount * decimal(2) - decimal('0.01')", row("amount", new BigDecimal("1.10"))))
            .isEqualTo(new BigDecimal("2.19"));
    }

    @Test
    void decimalParsesStringsIntsAndDoubles() {
        assertThat(eval("decimal(row.email)", row("email", " 3.14 "))).isEqualTo(new BigDecimal("3.14"));
        assertThat(eval("decimal(row.id)")).isEqualTo(new BigDecimal("1"));
        assertThat(eval("decimal(row.score)", row("score", 0.1))).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void decimalOfTextThatIsNotANumberFailsTheRow() {
        assertThatThrownBy(() -> eval("decimal(row.email)"))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessage("public.users: column v = decimal(row.email): decimal(): the text is not a decimal number");
    }

    @Test
    void decimalsCompareByValue() {
        assertThat(eval("row.amount > decimal('10')", row("amount", new BigDecimal("10.01")))).isEqualTo(true);
        assertThat(eval("row.amount >= decimal('10')", row("amount", new BigDecimal("10.00")))).isEqualTo(true);
        assertThat(eval("row.amount < decimal('10')", row("amount", new BigDecimal("10.00")))).isEqualTo(false);
        assertThat(eval("row.amount <= decimal('9.99')", row("amount", new BigDecimal("10")))).isEqualTo(false);
    }

    @Test
    void decimalsAreEqualByValueWhateverTheirScaleButKeepTheirScale() {
        assertThat(eval("row.amount == decimal('1.5')", row("amount", new BigDecimal("1.50")))).isEqualTo(true);
        assertThat(eval("row.amount in [decimal('1.5'), decimal('2')]", row("amount", new BigDecimal("1.50"))))
            .isEqualTo(true);
        assertThat(eval("row.amount != decimal('1.51')", row("amount", new BigDecimal("1.50")))).isEqualTo(true);
        assertThat(eval("row.amount", row("amount", new BigDecimal("1.50")))).asString().isEqualTo("1.50");
    }

    @Test
    void decimalsCastToStringIntAndDouble() {
        assertThat(eval("string(row.amount)", row("amount", new BigDecimal("1E+3")))).isEqualTo("1000");
        assertThat(eval("int(row.amount)", row("amount", new BigDecimal("-7.9")))).isEqualTo(-7L);
        assertThat(eval("double(row.amount)", row("amount", new BigDecimal("2.5")))).isEqualTo(2.5);
    }

    @Test
    void anIntCastOutOfRangeFailsRatherThanWraps() {
        assertThatThrownBy(() -> eval("int(row.amount)", row("amount", new BigDecimal("1e30"))))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageEndingWith("int(): the value is out of the range of int");
    }

    @Test
    void longIsCelsSixtyFourBitInt() {
        assertThat(eval("long(row.email)", row("email", "9007199254740993"))).isEqualTo(9007199254740993L);
        assertThat(eval("long(row.score)", row("score", 2.9))).isEqualTo(2L);
        assertThat(eval("long(row.level) + 1", row("level", 41))).isEqualTo(42L);
        assertThat(eval("long(row.active)", row("active", true))).isEqualTo(1L);
    }

    @Test
    void celsOwnCastsConvertStringsIntsAndDoubles() {
        assertThat(eval("int(row.email)", row("email", "42"))).isEqualTo(42L);
        assertThat(eval("double(row.level)", row("level", 3))).isEqualTo(3.0);
        assertThat(eval("string(row.level)", row("level", 3))).isEqualTo("3");
        assertThat(eval("bool(row.email)", row("email", "true"))).isEqualTo(true);
    }

    @Test
    void aCastOfTextThatIsNotANumberFailsTheRowWithoutQuotingTheValue() {
        assertThatThrownBy(() -> eval("int(row.email)", row("email", "abc")))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessage("public.users: column v = int(row.email): the text is not a number");
        assertThatThrownBy(() -> eval("timestamp(row.email)", row("email", "secret-ish text")))
            .isInstanceOf(MappingEvaluationException.class)
            .message().doesNotContain("secret-ish");
    }

    @Test
    void boolAndIntConvertZeroOneFlags() {
        assertThat(eval("bool(row.level)", row("level", 0))).isEqualTo(false);
        assertThat(eval("bool(row.level)", row("level", 2))).isEqualTo(true);
        assertThat(eval("int(row.active)", row("active", true))).isEqualTo(1L);
    }

    @Test
    void castsFailOnNullSoANullableColumnNeedsAGuard() {
        assertThatThrownBy(() -> eval("int(row.display_name)", row("display_name", null)))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageContaining("No matching overload for function 'int'");
        assertThat(eval("row.display_name == null ? 0 : int(row.display_name)", row("display_name", null))).isEqualTo(0L);
    }

    @Test
    void realColumnsKeepTheirDecimalReading() {
        assertThat(eval("row.ratio", row("ratio", 1.1f))).isEqualTo(1.1);
    }

    @Test
    void mixingDecimalAndDoubleArithmeticIsATypeError() {
        assertThat(problems("row.amount + 1.0")).singleElement().asString()
            .endsWith("type error at character 12: found no matching overload for '_+_' applied to '(decimal, double)'");
    }
}
