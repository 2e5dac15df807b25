package io.beeperkeeper.sensor.iaq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A restart keeps the learnt clean-air baseline (and its accuracy) instead of burning in again. */
class IaqBaselinePersistenceTest {
    private static final Duration BURN_IN = Duration.ofMinutes(5);

    @Test
    void baselineSurvivesARestart(@TempDir Path dir) throws Exception {
        IaqBaselineFile file = new IaqBaselineFile(dir.resolve("iaq-baseline.json"));
        IaqEstimator first = new IaqEstimator(BURN_IN, file.load(), file::save);
        Instant t0 = Instant.parse("2026-11-20T00:00:00Z");
        Instant t = t0;
        for (int i = 0; i <= 2 * 360; i++) { // two hours, every 10 s, clean air at 200 kOhm
            t = t0.plusSeconds(10L * i);
            first.update(t, 200_000, 40);
        }
        assertThat(Files.exists(dir.resolve("iaq-baseline.json"))).isTrue();

        IaqEstimator.Saved saved = file.load();
        assertThat(saved.baselineOhm()).isCloseTo(200_000, org.assertj.core.data.Offset.offset(1.0));
        IaqEstimator restarted = new IaqEstimator(BURN_IN, saved, file::save);
        IaqEstimator.Iaq after = restarted.update(t.plusSeconds(60), 100_000, 40).orElseThrow();
        // against the remembered 200 kOhm, half the resistance is clearly worse air, and no burn-in
        assertThat(after.accuracy()).isEqualTo(2);
        assertThat(after.baselineOhm()).isGreaterThan(190_000);
        assertThat(after.index()).isGreaterThan(150);

        IaqEstimator fresh = new IaqEstimator(BURN_IN);
        IaqEstimator.Iaq burnIn = fresh.update(t.plusSeconds(60), 100_000, 40).orElseThrow();
        assertThat(burnIn.accuracy()).isZero();
        assertThat(burnIn.index()).isLessThan(after.index());
    }

    @Test
    void anOldOrDamagedFileMeansANewBurnIn(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("iaq-baseline.json");
        IaqBaselineFile file = new IaqBaselineFile(path);
        Instant now = Instant.parse("2026-11-20T00:00:00Z");
        file.save(new IaqEstimator.Saved(250_000, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(10))));
        IaqEstimator stale = new IaqEstimator(BURN_IN, file.load(), s -> { });
        assertThat(stale.update(now, 100_000, 40).orElseThrow().accuracy()).isZero();

        Files.writeString(path, "{not json");
        assertThat(file.load()).isNull();
    }
}
