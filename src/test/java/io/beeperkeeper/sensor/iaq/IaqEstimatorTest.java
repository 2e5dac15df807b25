package io.beeperkeeper.sensor.iaq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IaqEstimatorTest {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

    @Test
    void boschClassesAtTheirBoundaries() {
        assertThat(IaqEstimator.classify(0)).isEqualTo("Excellent");
        assertThat(IaqEstimator.classify(50)).isEqualTo("Excellent");
        assertThat(IaqEstimator.classify(51)).isEqualTo("Good");
        assertThat(IaqEstimator.classify(100)).isEqualTo("Good");
        assertThat(IaqEstimator.classify(101)).isEqualTo("Lightly polluted");
        assertThat(IaqEstimator.classify(150)).isEqualTo("Lightly polluted");
        assertThat(IaqEstimator.classify(151)).isEqualTo("Moderately polluted");
        assertThat(IaqEstimator.classify(200)).isEqualTo("Moderately polluted");
        assertThat(IaqEstimator.classify(201)).isEqualTo("Heavily polluted");
        assertThat(IaqEstimator.classify(250)).isEqualTo("Heavily polluted");
        assertThat(IaqEstimator.classify(251)).isEqualTo("Severely polluted");
        assertThat(IaqEstimator.classify(350)).isEqualTo("Severely polluted");
        assertThat(IaqEstimator.classify(351)).isEqualTo("Extremely polluted");
        assertThat(IaqEstimator.classify(500)).isEqualTo("Extremely polluted");
    }

    @Test
    void indexFormula() {
        // Clean air at the humidity optimum scores 100: IAQ 0.
        assertThat(IaqEstimator.index(100_000, 100_000, 40)).isEqualTo(0);
        // Half the baseline at 40 %: 25 + 37.5 = 62.5 -> (100 - 62.5) * 5 = 187.5 -> 188.
        assertThat(IaqEstimator.index(50_000, 100_000, 40)).isEqualTo(188);
        // Clean gas at 70 % RH: humidity score (100-70)/60*25 = 12.5; 12.5 + 75 = 87.5 -> 62.5 -> 63.
        assertThat(IaqEstimator.index(100_000, 100_000, 70)).isEqualTo(63);
        // Very dry air: 20 % -> 12.5 as well.
        assertThat(IaqEstimator.index(100_000, 100_000, 20)).isEqualTo(63);
        // Everything worst: 0 gas score, 0 humidity score -> 500.
        assertThat(IaqEstimator.index(1, 1e12, 100)).isEqualTo(500);
    }

    @Test
    void burnInReportsAccuracyZeroThenAccuracyRisesWithHistory() {
        IaqEstimator e = new IaqEstimator(Duration.ofMinutes(5));
        assertThat(e.update(T0, 80_000, 40).orElseThrow().accuracy()).isZero();
        assertThat(e.update(T0.plusSeconds(290), 120_000, 40).orElseThrow().accuracy()).isZero();
        IaqEstimator.Iaq after = e.update(T0.plusSeconds(305), 120_000, 40).orElseThrow();
        assertThat(after.accuracy()).isEqualTo(1);
        assertThat(after.index()).isEqualTo(0);
        assertThat(e.update(T0.plus(Duration.ofHours(2)), 120_000, 40).orElseThrow().accuracy()).isEqualTo(2);
        assertThat(e.update(T0.plus(Duration.ofDays(2)), 120_000, 40).orElseThrow().accuracy()).isEqualTo(3);
    }

    @Test
    void pollutionRaisesTheIndexAndTheBaselineForgetsOnlySlowly() {
        IaqEstimator e = new IaqEstimator(Duration.ZERO);
        Instant t = T0;
        for (int i = 0; i < 60; i++) {
            e.update(t = t.plusSeconds(60), 200_000, 40);
        }
        // A chicken-house ammonia afternoon: resistance drops to a quarter for 3 hours.
        IaqEstimator.Iaq polluted = null;
        for (int i = 0; i < 180; i++) {
            polluted = e.update(t = t.plusSeconds(60), 50_000, 40).orElseThrow();
        }
        assertThat(polluted.baselineOhm()).isGreaterThan(150_000); // slow decay kept the clean reference
        assertThat(polluted.index()).isGreaterThan(200);
        assertThat(polluted.classification()).isIn("Heavily polluted", "Severely polluted");
        // Fresh air again: the index falls back.
        IaqEstimator.Iaq clean = null;
        for (int i = 0; i < 30; i++) {
            clean = e.update(t = t.plusSeconds(60), 200_000, 40).orElseThrow();
        }
        assertThat(clean.index()).isLessThanOrEqualTo(50);
    }

    @Test
    void noValidGasNoEstimate() {
        IaqEstimator e = new IaqEstimator(Duration.ZERO);
        assertThat(e.update(T0, Double.NaN, 40)).isEmpty();
        assertThat(e.update(T0, 0, 40)).isEmpty();
    }
}
