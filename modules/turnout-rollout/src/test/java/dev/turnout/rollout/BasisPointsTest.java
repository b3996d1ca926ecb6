package dev.turnout.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BasisPointsTest {

    @Test
    void percentagesAreExactToOneBasisPoint() {
        assertThat(BasisPoints.parse("25").value()).isEqualTo(2_500);
        assertThat(BasisPoints.parse("12.5%").value()).isEqualTo(1_250);
        assertThat(BasisPoints.parse(" 0.01 ").value()).isEqualTo(1);
        assertThat(BasisPoints.parse("100").value()).isEqualTo(BasisPoints.MAX);
        assertThat(new BasisPoints(1_250)).hasToString("12.5%");
        assertThat(new BasisPoints(0)).hasToString("0%");
        assertThat(new BasisPoints(10_000)).hasToString("100%");
    }

    @Test
    void finerThanABasisPointOrOutOfRangeIsAnErrorNotARounding() {
        assertThatThrownBy(() -> BasisPoints.parse("0.005")).hasMessageContaining("at most two decimals");
        assertThatThrownBy(() -> BasisPoints.parse("101")).hasMessageContaining("from 0 to 100");
        assertThatThrownBy(() -> BasisPoints.parse("-1")).hasMessageContaining("from 0 to 100");
        assertThatThrownBy(() -> BasisPoints.parse("half")).hasMessageContaining("expected a percentage");
    }

    @Test
    void bucketsDependOnTheRolloutNameSoRolloutsMoveDifferentKeys() {
        long sameSide = java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "user-" + i)
            .filter(u -> (Buckets.bucket("checkout", u) < 1_000) == (Buckets.bucket("search", u) < 1_000)).count();
        // Independent 10% samples agree on about 82% of keys (0.9*0.9 + 0.1*0.1); identical ones would on all.
        assertThat(sameSide).isBetween(7_900L, 8_500L);
    }
}
