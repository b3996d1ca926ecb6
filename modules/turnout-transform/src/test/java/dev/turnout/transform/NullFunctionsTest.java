package dev.turnout.transform;

import static dev.turnout.transform.Eval.eval;
import static dev.turnout.transform.Eval.problems;
import static dev.turnout.transform.Eval.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

class NullFunctionsTest {

    @Test
    void coalesceGivesTheFirstNonNullArgument() {
        assertThat(eval("coalesce(row.display_name, row.email)", row("display_name", null))).isEqualTo("ann@example.org");
        assertThat(eval("coalesce(row.display_name, row.email)", row("display_name", "Ann"))).isEqualTo("Ann");
        assertThat(eval("coalesce(row.display_name, row.born, 'x')", row())).isEqualTo("x");
        assertThat(eval("coalesce(row.amount, decimal('0'))", row("amount", null))).isEqualTo(new BigDecimal("0"));
        assertThat(eval("coalesce(row.display_name, row.born)", row())).isNull();
    }

    @Test
    void coalesceTakesUpToEightArguments() {
        assertThat(eval("coalesce(row.born, row.born, row.born, row.born, row.born, row.born, row.born, 'last')", row()))
            .isEqualTo("last");
    }

    @Test
    void coalesceOfDifferentTypesIsATypeError() {
        assertThat(problems("coalesce(row.display_name, 1)")).singleElement().asString()
            .contains("type error at character 9: found no matching overload for 'coalesce' applied to "
                + "'(wrapper(string), int)'");
    }

    @Test
    void nullIfGivesNullWhenBothAreEqual() {
        assertThat(eval("nullIf(row.display_name, '')", row("display_name", ""))).isNull();
        assertThat(eval("nullIf(row.display_name, '')", row("display_name", "Ann"))).isEqualTo("Ann");
        assertThat(eval("nullIf(row.amount, decimal('0'))", row("amount", new BigDecimal("0.00")))).isNull();
    }

    @Test
    void isEmptyIsTrueForNullAndEmptyStringsListsAndBytes() {
        assertThat(eval("isEmpty(row.display_name)", row("display_name", null))).isEqualTo(true);
        assertThat(eval("isEmpty(row.display_name)", row("display_name", ""))).isEqualTo(true);
        assertThat(eval("isEmpty(row.display_name)", row("display_name", " "))).isEqualTo(false);
        assertThat(eval("isEmpty(row.tags)", row("tags", List.of()))).isEqualTo(true);
        assertThat(eval("isEmpty(row.tags)", row("tags", List.of("a")))).isEqualTo(false);
        assertThat(eval("isEmpty(row.avatar)", row("avatar", new byte[0]))).isEqualTo(true);
        assertThat(eval("isEmpty(row.level)", row("level", 0))).isEqualTo(false);
    }

    @Test
    void isBlankIsTrueForNullEmptyAndWhitespace() {
        assertThat(eval("isBlank(row.display_name)", row("display_name", null))).isEqualTo(true);
        assertThat(eval("isBlank(row.display_name)", row("display_name", ""))).isEqualTo(true);
        assertThat(eval("isBlank(row.display_name)", row("display_name", " \t\n"))).isEqualTo(true);
        assertThat(eval("isBlank(row.display_name)", row("display_name", " Ann "))).isEqualTo(false);
    }

    @Test
    void isBlankOfANumberIsATypeError() {
        assertThat(problems("isBlank(row.level)")).singleElement().asString()
            .endsWith("type error at character 8: found no matching overload for 'isBlank' applied to '(wrapper(int))'");
    }
}
