package dev.turnout.transform;

import static dev.turnout.transform.Eval.eval;
import static dev.turnout.transform.Eval.mapping;
import static dev.turnout.transform.Eval.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class StringFunctionsTest {

    @Test
    void lowerUpperAndTrimChangeCaseAndStripWhitespace() {
        assertThat(eval("lower(row.email)", row("email", "Ann@Example.ORG"))).isEqualTo("ann@example.org");
        assertThat(eval("upper(row.email)")).isEqualTo("ANN@EXAMPLE.ORG");
        assertThat(eval("trim(row.display_name)", row("display_name", " \tAnn \n"))).isEqualTo("Ann");
    }

    @Test
    void lowerIsLocaleIndependent() {
        // In a Turkish locale, "I".toLowerCase() is a dotless ı; mappings must not depend on the JVM's locale.
        assertThat(eval("lower(row.display_name)", row("display_name", "TITLE"))).isEqualTo("title");
    }

    @Test
    void stringFunctionsGiveNullForNull() {
        assertThat(eval("lower(row.display_name)", row("display_name", null))).isNull();
        assertThat(eval("trim(row.display_name)", row("display_name", null))).isNull();
        assertThat(eval("part(row.display_name, ' ', 0)", row("display_name", null))).isNull();
        assertThat(eval("split(row.display_name, ' ')", row("display_name", null))).isNull();
        assertThat(eval("substring(row.display_name, 1)", row("display_name", null))).isNull();
        assertThat(eval("replace(row.display_name, 'a', 'b')", row("display_name", null))).isNull();
    }

    @Test
    void concatJoinsValuesOfAnyTypeAndSkipsNulls() {
        assertThat(eval("concat(row.display_name, ' <', row.email, '>')", row("display_name", "Ann")))
            .isEqualTo("Ann <ann@example.org>");
        assertThat(eval("concat(row.display_name, '#', row.id)", row("display_name", null))).isEqualTo("#1");
        assertThat(eval("concat(row.amount, ' at ', row.updated_at)",
            row("amount", new BigDecimal("1E+2"), "updated_at", "2024-05-01T10:15:30Z")))
            .isEqualTo("100 at 2024-05-01T10:15:30Z");
    }

    @Test
    void splitKeepsEmptyPartsAndUsesLiteralSeparators() {
        assertThat(eval("split(row.display_name, ',')", row("display_name", "a,,b,"))).isEqualTo(List.of("a", "", "b", ""));
        assertThat(eval("split(row.display_name, '.')", row("display_name", "a.b"))).isEqualTo(List.of("a", "b"));
        assertThat(eval("split(row.display_name, ', ')", row("display_name", "x"))).isEqualTo(List.of("x"));
    }

    @Test
    void partCountsFromZeroAndFromTheEndWhenNegative() {
        assertThat(eval("part(row.email, '@', 0)")).isEqualTo("ann");
        assertThat(eval("part(row.email, '@', 1)")).isEqualTo("example.org");
        assertThat(eval("part(row.email, '.', -1)")).isEqualTo("org");
        assertThat(eval("part(row.email, '@', 2)")).as("no such part").isNull();
        assertThat(eval("part(row.email, '#', 0)")).as("no separator: the whole is part 0").isEqualTo("ann@example.org");
    }

    @Test
    void beforeAndAfterSplitAtTheFirstSeparator() {
        assertThat(eval("before(row.email, '@')")).isEqualTo("ann");
        assertThat(eval("after(row.email, '@')")).isEqualTo("example.org");
        assertThat(eval("before(row.email, '.')", row("email", "a.b.c"))).isEqualTo("a");
        assertThat(eval("after(row.email, '.')", row("email", "a.b.c"))).isEqualTo("b.c");
        assertThat(eval("before(row.email, '#')")).as("absent: all of it").isEqualTo("ann@example.org");
        assertThat(eval("after(row.email, '#')")).as("absent: nothing after it").isNull();
    }

    @Test
    void substringCountsCodePointsAndClampsToTheString() {
        assertThat(eval("substring(row.email, 4)")).isEqualTo("example.org");
        assertThat(eval("substring(row.email, 0, 3)")).isEqualTo("ann");
        assertThat(eval("substring(row.email, 12, 100)")).isEqualTo("org");
        assertThat(eval("substring(row.email, 100)")).isEqualTo("");
        assertThat(eval("substring(row.display_name, 1, 1)", row("display_name", "a😀b"))).isEqualTo("😀");
    }

    @Test
    void substringWithANegativeStartFailsTheRow() {
        assertThatThrownBy(() -> eval("substring(row.email, -1)"))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageEndingWith("column v = substring(row.email, -1): substring(): start and length must not be negative");
    }

    @Test
    void replaceReplacesEveryLiteralOccurrence() {
        assertThat(eval("replace(row.email, '.', '[dot]')", row("email", "a.b.c"))).isEqualTo("a[dot]b[dot]c");
        assertThat(eval("replace(row.email, 'z', 'y')")).isEqualTo("ann@example.org");
    }

    @Test
    void anEmptySeparatorFailsTheRowNamingIt() {
        assertThatThrownBy(() -> mapping("split(row.email, '')").apply(row()))
            .isInstanceOf(MappingEvaluationException.class)
            .hasMessageEndingWith("split(): the separator is empty");
    }

    @Test
    void celsBuiltInStringMembersAreAvailable() {
        assertThat(eval("row.email.endsWith('.org') && row.email.contains('@') && size(row.email) == 15")).isEqualTo(true);
        assertThat(eval("row.email.matches('^[a-z]+@')")).isEqualTo(true);
        assertThat(eval("string(row.updated_at)", row("updated_at", "2024-05-01T10:15:30+02:00")))
            .isEqualTo(Instant.parse("2024-05-01T08:15:30Z").toString());
    }
}
