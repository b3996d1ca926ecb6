package dev.turnout.reconcile.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.turnout.core.config.TableId;
import dev.turnout.reconcile.compare.TargetTable;
import dev.turnout.schemas.apply.ApplyColumn;
import dev.turnout.schemas.apply.Unavailable;
import dev.turnout.schemas.reconcile.FieldDifference;
import dev.turnout.schemas.reconcile.KeyStatus;
import dev.turnout.schemas.reconcile.ReconcileObservation;
import dev.turnout.schemas.reconcile.Side;
import dev.turnout.transform.SourceColumn;
import dev.turnout.transform.SourceSchema;
import dev.turnout.transform.TableMapping;

/** The status rules of one key, without a broker: grace, escalation, convergence, TOAST carry-over, tombstones. */
class KeyStatesTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final SourceSchema SCHEMA = SourceSchema.of(TableId.parse("public.docs"),
        SourceColumn.of("id", "int4", false).inPrimaryKey(1), SourceColumn.of("title", "text", true),
        SourceColumn.of("body", "text", true), SourceColumn.of("updated_at", "timestamptz", true));
    private static final TargetTable TABLE = new TargetTable(TableMapping.identity(SCHEMA), SCHEMA,
        TableMapping.identity(SCHEMA), Set.of("updated_at"));
    private static final List<ApplyColumn> KEY = List.of(new ApplyColumn("id", 1L));

    private static ReconcileObservation seen(Side side, boolean present, Object title, Object body, Long lsn) {
        return new ReconcileObservation("public.docs", side, KEY, present, present ? List.of(
            new ApplyColumn("id", 1L), new ApplyColumn("title", title), new ApplyColumn("body", body),
            new ApplyColumn("updated_at", side.name())) : List.of(), lsn);
    }

    @Test
    void aDifferenceIsPendingWithinGraceThenMismatchAndMatchesAgainWhenItConverges() {
        KeyStates.Outcome expected = KeyStates.observe(null, seen(Side.EXPECTED, true, "a", "x", 100L), TABLE, 1_000,
            GRACE);
        assertThat(expected.status().getStatus()).isEqualTo(KeyStatus.PENDING);
        assertThat(expected.status().getPendingUntil().toEpochMilli()).isEqualTo(31_000);

        KeyStates.Outcome differs = KeyStates.observe(expected.state(), seen(Side.ACTUAL, true, "b", "x", 90L), TABLE,
            2_000, GRACE);
        assertThat(differs.status().getStatus()).isEqualTo(KeyStatus.PENDING);
        assertThat(differs.status().getDifferences()).containsExactly(new FieldDifference("title", "a", "b"));
        assertThat(KeyStates.recheck(differs.state(), TABLE, 31_999, GRACE).status().getStatus())
            .isEqualTo(KeyStatus.PENDING);

        KeyStates.Outcome escalated = KeyStates.recheck(differs.state(), TABLE, 32_000, GRACE);
        assertThat(escalated.status().getStatus()).isEqualTo(KeyStatus.MISMATCH);
        assertThat(escalated.status().getFirstSeen().toEpochMilli()).isEqualTo(1_000);
        assertThat(escalated.status().getSourceLsn()).isEqualTo(100L);
        assertThat(escalated.status().getTargetLsn()).isEqualTo(90L);

        KeyStates.Outcome repaired = KeyStates.observe(escalated.state(), seen(Side.ACTUAL, true, "a", "x", 100L), TABLE,
            40_000, GRACE);
        assertThat(repaired.status().getStatus()).isEqualTo(KeyStatus.MATCH);
        assertThat(repaired.status().getDifferences()).isEmpty();
        assertThat(repaired.status().getFirstSeen().toEpochMilli()).isEqualTo(40_000);
    }

    @Test
    void aKeyOnOneSideOnlyBecomesMissingOrExtraAndIsForgottenWhenBothSidesDeleteIt() {
        KeyStates.Outcome onlySource = KeyStates.observe(null, seen(Side.EXPECTED, true, "a", "x", 1L), TABLE, 0, GRACE);
        assertThat(KeyStates.recheck(onlySource.state(), TABLE, 30_000, GRACE).status().getStatus())
            .isEqualTo(KeyStatus.MISSING);
        KeyStates.Outcome onlyTarget = KeyStates.observe(null, seen(Side.ACTUAL, true, "a", "x", null), TABLE, 0, GRACE);
        assertThat(KeyStates.recheck(onlyTarget.state(), TABLE, 30_000, GRACE).status().getStatus())
            .isEqualTo(KeyStatus.EXTRA);

        KeyStates.Outcome gone = KeyStates.observe(onlyTarget.state(), seen(Side.ACTUAL, false, null, null, null), TABLE,
            1, GRACE);
        assertThat(gone.state()).isNull();
        assertThat(gone.status()).isNull();
    }

    @Test
    void anUnchangedToastedValueKeepsTheValueTheSideHadAndIgnoredColumnsAreNotCompared() {
        KeyStates.Outcome first = KeyStates.observe(null, seen(Side.EXPECTED, true, "a", "long body", 1L), TABLE, 0,
            GRACE);
        KeyStates.Outcome actual = KeyStates.observe(first.state(), seen(Side.ACTUAL, true, "a", "long body", 1L), TABLE,
            1, GRACE);
        assertThat(actual.status().getStatus()).isEqualTo(KeyStatus.MATCH);

        KeyStates.Outcome update = KeyStates.observe(actual.state(), seen(Side.EXPECTED, true, "b", new Unavailable(),
            2L), TABLE, 2, GRACE);
        KeyStates.Outcome applied = KeyStates.observe(update.state(), seen(Side.ACTUAL, true, "b", new Unavailable(),
            2L), TABLE, 3, GRACE);
        assertThat(applied.status().getStatus()).isEqualTo(KeyStatus.MATCH);
        assertThat(applied.state().getExpected()).contains(new ApplyColumn("body", "long body"));

        KeyStates.Outcome bodyChanged = KeyStates.observe(applied.state(), seen(Side.ACTUAL, true, "b", "edited",
            3L), TABLE, 4, GRACE);
        assertThat(bodyChanged.status().getDifferences()).extracting(FieldDifference::getField).containsExactly("body");
        assertThat(Optional.ofNullable(bodyChanged.status().getPendingUntil())).isPresent();
    }
}
